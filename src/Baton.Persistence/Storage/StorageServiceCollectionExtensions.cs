using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
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
        PrepareDataDirectory(storage);
        // EF Core takes a migrations lock, so replicas starting together migrate once.
        await db.Database.MigrateAsync(cancellationToken);
    }

    /// <summary>
    /// Applies the pending migrations one at a time, calling <paramref name="applying"/> before each, for a command that
    /// shows progress (each step takes EF Core's migrations lock, as a whole migration does).
    /// </summary>
    public static async Task MigrateStepwiseAsync(this BatonDbContext db, StorageOptions storage, Action<string, int, int> applying,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(applying);
        PrepareDataDirectory(storage);
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        var migrator = db.GetService<Microsoft.EntityFrameworkCore.Migrations.IMigrator>();
        for (var i = 0; i < pending.Count; i++)
        {
            applying(pending[i], i, pending.Count);
            await migrator.MigrateAsync(pending[i], cancellationToken);
        }
    }

    private static void PrepareDataDirectory(StorageOptions storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        if (storage.IsSqlite && string.IsNullOrWhiteSpace(storage.ConnectionString))
        {
            Directory.CreateDirectory(Path.GetFullPath(storage.DataDirectory));
        }
    }
}
