using Baton.Persistence.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Baton.Persistence.Postgres;

/// <summary>Lets dotnet-ef build the model for Postgres when adding a migration; never used at run time.</summary>
public sealed class DesignTimeContextFactory : IDesignTimeDbContextFactory<BatonDbContext>
{
    public BatonDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<BatonDbContext>();
        BatonDbOptions.Configure(builder, new StorageOptions { Provider = StorageOptions.Postgres, ConnectionString = "Host=localhost;Database=baton_design_time" });
        return new BatonDbContext(builder.Options);
    }
}
