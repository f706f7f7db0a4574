using Baton.Core.Projects;
using Baton.Core.Runs;
using Baton.Core.WorkItems;
using Baton.Persistence.Logs;
using Baton.Persistence.Storage;
using Baton.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Baton.Persistence.Tests;

/// <summary>
/// PostgreSQL: the log search is planned for its words every time. The server's connections prepare
/// a statement after a few uses, and after five more PostgreSQL may keep one generic plan for it,
/// which knows no word: a plan fit for a rare word then reads every chunk for a word in all of them
/// (300 ms instead of 20 at 100,000 chunks, docs/BENCHMARKS.md).
/// </summary>
public sealed class LogSearchPlanTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Postgres_SearchesAreNeverGivenAGenericPlan_AfterManySearchesForARareWord()
    {
        var connectionString = await PostgresTestServer.CreateDatabaseAsync("baton_search_plans");
        try
        {
            var storage = new StorageOptions { Provider = StorageOptions.Postgres, ConnectionString = connectionString };
            var builder = new DbContextOptionsBuilder<BatonDbContext>();
            BatonDbOptions.Configure(builder, storage);
            await using var db = new BatonDbContext(builder.Options);
            await db.MigrateAsync(storage, CancellationToken.None);
            // One connection throughout: prepared statements and their plans belong to a session.
            await db.Database.OpenConnectionAsync();
            var run = await StoreRunWithChunksAsync(db, chunks: 2000);

            for (var i = 0; i < 15; i++)
            {
                Assert.Single(await SearchAsync(db, "needle"));
            }
            Assert.Equal(20, (await SearchAsync(db, "hay")).Count);
            Assert.All(await SearchAsync(db, "hay"), chunk => Assert.Equal(run, chunk.RunId));

            var plans = await db.Database.SqlQueryRaw<Plans>(
                "SELECT coalesce(sum(generic_plans), 0)::bigint AS generic, coalesce(sum(custom_plans), 0)::bigint AS custom " +
                "FROM pg_prepared_statements WHERE statement LIKE '%plainto_tsquery%'").SingleAsync();
            // The statement was prepared (else the test proves nothing), and every execution was planned for its words.
            Assert.True(plans.Custom >= 10, $"the search was prepared and planned {plans.Custom} times");
            Assert.Equal(0, plans.Generic);
        }
        finally
        {
            await PostgresTestServer.DropDatabaseAsync(connectionString);
        }
    }

    private static Task<List<MatchedChunk>> SearchAsync(BatonDbContext db, string word) =>
        db.SearchChunksAsync(new ChunkSearch([word], null, null, long.MaxValue, 0, 20), CancellationToken.None);

    /// <summary>A run whose log is <paramref name="chunks"/> chunks of "hay" lines, one of which also says "needle"; returns its id.</summary>
    private static async Task<long> StoreRunWithChunksAsync(BatonDbContext db, int chunks)
    {
        var project = new Project("plans", "Plans", "", new ProjectPolicy(false, 1, false, [], 1), "test", Now);
        db.Projects.Add(project);
        await db.SaveChangesAsync();
        var item = new WorkItem(project.Id, 1, "item", "", [], 0, "test", Now);
        db.WorkItems.Add(item);
        await db.SaveChangesAsync();
        var run = new Run(project.Id, item.Id, 1, RunTrigger.Manual, new RunRecipe(1, "hash", "steps: []", "{}"), [], 0, 1, false, "test", Now);
        db.Runs.Add(run);
        await db.SaveChangesAsync();
        for (var i = 0; i < chunks; i++)
        {
            var text = i == chunks / 2 ? "hay and a needle" : $"hay bale {i}";
            db.LogChunks.Add(new LogChunk(run.Id, i * 2 + 1, i * 2 + 2, 40,
                $$"""[{"n":{{i * 2 + 1}},"text":"{{text}}"},{"n":{{i * 2 + 2}},"text":"more hay"}]"""));
        }
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();
        await db.Database.ExecuteSqlRawAsync("ANALYZE");
        return run.Id;
    }

    private sealed record Plans(long Generic, long Custom);
}
