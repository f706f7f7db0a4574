using Baton.Persistence.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Baton.Persistence.Sqlite;

/// <summary>Lets dotnet-ef build the model for Sqlite when adding a migration; never used at run time.</summary>
public sealed class DesignTimeContextFactory : IDesignTimeDbContextFactory<BatonDbContext>
{
    public BatonDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<BatonDbContext>();
        BatonDbOptions.Configure(builder, new StorageOptions { Provider = StorageOptions.Sqlite, ConnectionString = "Data Source=design-time.db" });
        return new BatonDbContext(builder.Options);
    }
}
