using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Baton.Persistence.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="BatonDbContext"/> for the provider named by <see cref="StorageOptions"/>, pooled: a request
    /// reuses a context instead of building one (and its services) from scratch.
    /// </summary>
    public static IServiceCollection AddBatonDbContext(this IServiceCollection services)
    {
        services.AddDbContextPool<BatonDbContext>((provider, builder) =>
            BatonDbOptions.Configure(builder, provider.GetRequiredService<IOptions<StorageOptions>>().Value));
        return services;
    }

    /// <summary>Creates the data directory when needed and brings the schema up to date.</summary>
    public static async Task MigrateAsync(this BatonDbContext db, StorageOptions storage, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(storage);
        if (storage.IsSqlite && string.IsNullOrWhiteSpace(storage.ConnectionString))
        {
            Directory.CreateDirectory(Path.GetFullPath(storage.DataDirectory));
        }
        // EF Core takes a migrations lock, so replicas starting together migrate once.
        await db.Database.MigrateAsync(cancellationToken);
    }
}
