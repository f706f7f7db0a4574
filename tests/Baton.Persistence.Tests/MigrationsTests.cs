using Baton.Core.Access;
using Baton.Core.Projects;
using Baton.Persistence;
using Baton.Persistence.Storage;
using Baton.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Baton.Persistence.Tests;

/// <summary>Both migrations assemblies: they apply to an empty database and match the model.</summary>
public sealed class MigrationsTests
{
    [Fact]
    public void Sqlite_Migrations_CoverTheWholeModel()
    {
        using var db = Context(new StorageOptions { Provider = StorageOptions.Sqlite, ConnectionString = "Data Source=unused.db" });
        Assert.False(db.Database.HasPendingModelChanges(), "the model changed without a SQLite migration (run dotnet ef migrations add)");
    }

    [Fact]
    public void Postgres_Migrations_CoverTheWholeModel()
    {
        using var db = Context(new StorageOptions { Provider = StorageOptions.Postgres, ConnectionString = "Host=unused" });
        Assert.False(db.Database.HasPendingModelChanges(), "the model changed without a PostgreSQL migration (run dotnet ef migrations add)");
    }

    [Fact]
    public async Task Sqlite_MigrateAsync_CreatesTheDatabaseInTheDataDirectory_InWalMode()
    {
        var directory = Path.Combine(Path.GetTempPath(), "baton-migrate-" + Guid.NewGuid().ToString("N"));
        var storage = new StorageOptions { Provider = StorageOptions.Sqlite, DataDirectory = directory };
        try
        {
            await using (var db = Context(storage))
            {
                await db.MigrateAsync(storage, CancellationToken.None);
                await RoundTripAsync(db);
                var mode = await db.Database.SqlQueryRaw<string>("PRAGMA journal_mode").ToListAsync();
                Assert.Equal("wal", mode.Single());
            }
            Assert.True(File.Exists(Path.Combine(directory, BatonDbOptions.SqliteFileName)));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Postgres_MigrateAsync_AppliesToAnEmptyDatabase_AndIsRepeatable()
    {
        var connectionString = await PostgresTestServer.CreateDatabaseAsync("baton_migrate");
        var storage = new StorageOptions { Provider = StorageOptions.Postgres, ConnectionString = connectionString };
        try
        {
            await using var db = Context(storage);
            await db.MigrateAsync(storage, CancellationToken.None);
            await db.MigrateAsync(storage, CancellationToken.None);
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            await RoundTripAsync(db);
        }
        finally
        {
            await PostgresTestServer.DropDatabaseAsync(connectionString);
        }
    }

    [Fact]
    public async Task UniqueViolation_IsRecognised_OnSqlite()
    {
        var directory = Path.Combine(Path.GetTempPath(), "baton-unique-" + Guid.NewGuid().ToString("N"));
        var storage = new StorageOptions { Provider = StorageOptions.Sqlite, DataDirectory = directory };
        try
        {
            await using var db = Context(storage);
            await db.MigrateAsync(storage, CancellationToken.None);
            db.SystemMarkers.Add(new SystemMarker("once", Now));
            await db.SaveChangesAsync();
            db.ChangeTracker.Clear();
            db.SystemMarkers.Add(new SystemMarker("once", Now));
            var exception = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
            Assert.True(DbErrors.IsUniqueViolation(exception));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Timestamps and label lists survive the provider's conversions exactly.</summary>
    private static async Task RoundTripAsync(BatonDbContext db)
    {
        var created = new DateTimeOffset(2026, 11, 24, 12, 34, 56, 789, TimeSpan.Zero).AddTicks(1234);
        db.Projects.Add(new Project("round-trip", "Round trip", "", new ProjectPolicy(true, 2, false, ["linux", "gpu"], 3), "test", created));
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();
        var stored = await db.Projects.SingleAsync(p => p.Key == "round-trip");
        Assert.Equal(["linux", "gpu"], stored.DefaultLabels);
        Assert.Equal(created.UtcTicks / 10 * 10, stored.CreatedAt.UtcTicks / 10 * 10);
        Assert.True(await db.Projects.AnyAsync(p => p.CreatedAt > created.AddSeconds(-1)), "timestamps compare in SQL");
    }

    private static BatonDbContext Context(StorageOptions storage)
    {
        var builder = new DbContextOptionsBuilder<BatonDbContext>();
        BatonDbOptions.Configure(builder, storage);
        return new BatonDbContext(builder.Options);
    }
}
