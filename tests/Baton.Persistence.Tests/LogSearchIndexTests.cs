using Baton.Core.Runs;
using Baton.Persistence.Logs;
using Baton.Persistence.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Baton.Persistence.Tests;

/// <summary>SQLite's FTS5 log index is filled after the fact, in batches, and knows where it stopped.</summary>
public sealed class LogSearchIndexTests
{
    [Fact]
    public async Task IndexNewChunks_IndexesInBatches_FromWhereItStopped_AndFindsEveryWord()
    {
        var directory = Path.Combine(Path.GetTempPath(), "baton-fts-" + Guid.NewGuid().ToString("N"));
        var storage = new StorageOptions { Provider = StorageOptions.Sqlite, DataDirectory = directory };
        var builder = new DbContextOptionsBuilder<BatonDbContext>();
        BatonDbOptions.Configure(builder, storage);
        try
        {
            await using var db = new BatonDbContext(builder.Options);
            await db.MigrateAsync(storage, CancellationToken.None);
            await db.Database.OpenConnectionAsync();
            // Chunks without their runs: only the index is under test.
            await db.Database.ExecuteSqlRawAsync("PRAGMA foreign_keys = OFF");
            await IndexesAsync(db);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task IndexesAsync(BatonDbContext db)
    {
        await StoreChunksAsync(db, 450);
        Assert.Equal(0, await db.IndexedUpToAsync(CancellationToken.None));

        var marks = new List<long>();
        var mark = 0L;
        for (var pass = 0; pass < 4; pass++)
        {
            marks.Add(mark = await db.IndexNewChunksAsync(mark, 200, CancellationToken.None));
        }
        Assert.Equal([200L, 400, 450, 450], marks);
        Assert.Equal(450, await db.IndexedUpToAsync(CancellationToken.None));

        await StoreChunksAsync(db, 3, fromRun: 1000);
        Assert.Equal(453, await db.IndexNewChunksAsync(await db.IndexedUpToAsync(CancellationToken.None), 200, CancellationToken.None));
        Assert.Equal(453, await CountAsync(db, "\"hay\""));
        Assert.Equal(1, await CountAsync(db, "\"needle\" \"1001\""));
        Assert.Equal(0, await CountAsync(db, "\"needle\" \"9999\""));
    }

    /// <summary>One chunk per run, two lines each: "hay ..." and "needle {run}".</summary>
    private static async Task StoreChunksAsync(BatonDbContext db, int count, int fromRun = 1)
    {
        for (var run = fromRun; run < fromRun + count; run++)
        {
            db.LogChunks.Add(new LogChunk(run, 1, 2, 20,
                $$"""[{"n":1,"text":"hay in chunk {{run}}"},{"n":2,"text":"needle {{run}}"}]"""));
        }
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();
    }

    private static async Task<long> CountAsync(BatonDbContext db, string match) =>
        await db.Database.SqlQueryRaw<long>("SELECT count(*) AS \"Value\" FROM log_search WHERE log_search MATCH {0}", match).SingleAsync();
}
