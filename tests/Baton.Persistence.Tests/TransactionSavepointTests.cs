using System.Data.Common;
using Baton.Core.Access;
using Baton.Persistence.Storage;
using Baton.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Baton.Persistence.Tests;

/// <summary>
/// A save inside a transaction takes no savepoint (on PostgreSQL each is a round trip), also once a pooled context has been
/// reset; and a failed save still undoes the whole transaction, which is why none is needed.
/// </summary>
public sealed class TransactionSavepointTests
{
    /// <summary>When a marker was made does not matter here.</summary>
    private static readonly DateTimeOffset At = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Postgres_SavesInATransaction_TakeNoSavepoint_AndAFailedSaveUndoesTheWholeTransaction()
    {
        var connectionString = await PostgresTestServer.CreateDatabaseAsync("baton_savepoints");
        try
        {
            await AssertNoSavepointsAsync(new StorageOptions { Provider = StorageOptions.Postgres, ConnectionString = connectionString });
        }
        finally
        {
            await PostgresTestServer.DropDatabaseAsync(connectionString);
        }
    }

    [Fact]
    public async Task Sqlite_SavesInATransaction_TakeNoSavepoint_AndAFailedSaveUndoesTheWholeTransaction()
    {
        var directory = Path.Combine(Path.GetTempPath(), "baton-savepoints-" + Guid.NewGuid().ToString("N"));
        try
        {
            await AssertNoSavepointsAsync(new StorageOptions { Provider = StorageOptions.Sqlite, DataDirectory = directory });
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task AssertNoSavepointsAsync(StorageOptions storage)
    {
        var savepoints = new SavepointCounter();
        var builder = new DbContextOptionsBuilder<BatonDbContext>();
        BatonDbOptions.Configure(builder, storage);
        builder.AddInterceptors(savepoints);
        // Pooled as the server's contexts are: the pool resets a returned context's savepoint setting.
        var pool = new PooledDbContextFactory<BatonDbContext>(builder.Options, poolSize: 1);
        await using (var db = await pool.CreateDbContextAsync())
        {
            await db.MigrateAsync(storage, CancellationToken.None);
        }

        for (var use = 1; use <= 2; use++)
        {
            await using var db = await pool.CreateDbContextAsync();
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.SystemMarkers.Add(new SystemMarker($"first-{use}", At));
            await db.SaveChangesAsync();
            db.SystemMarkers.Add(new SystemMarker($"second-{use}", At));
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        }
        Assert.Equal(0, savepoints.Created);

        await using (var db = await pool.CreateDbContextAsync())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.SystemMarkers.Add(new SystemMarker("kept-only-if-committed", At));
            await db.SaveChangesAsync();
            db.SystemMarkers.Add(new SystemMarker("first-1", At));
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        }

        await using (var db = await pool.CreateDbContextAsync())
        {
            var keys = await db.SystemMarkers.Select(m => m.Key).OrderBy(k => k).ToListAsync();
            Assert.Equal(["first-1", "first-2", "second-1", "second-2"], keys);
        }
        Assert.Equal(0, savepoints.Created);
    }

    private sealed class SavepointCounter : DbTransactionInterceptor
    {
        private int _created;

        public int Created => _created;

        public override InterceptionResult CreatingSavepoint(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result)
        {
            Interlocked.Increment(ref _created);
            return result;
        }

        public override ValueTask<InterceptionResult> CreatingSavepointAsync(DbTransaction transaction, TransactionEventData eventData,
            InterceptionResult result, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _created);
            return ValueTask.FromResult(result);
        }
    }
}
