using System.Diagnostics;
using System.Net;
using Baton.Contracts.Agents;
using Baton.Server.Features.Agents;
using Baton.Server.Tests.Infrastructure;
using Baton.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Baton.Server.Tests.Features.Agents;

/// <summary>Short leases, and a restart grace that keeps the reaper's own loop waiting: the test runs each pass itself.</summary>
public sealed class HandReapedPostgresApplication : PostgresApplication
{
    public HandReapedPostgresApplication()
    {
        ShortLeaseSqliteApplication.ShortLeases(Settings);
        Settings["Runs:RestartGraceSeconds"] = "3600";
    }
}

/// <summary>What the old holder of an expired lease does while a reaper pass handles it.</summary>
public sealed class ReaperRaceTests(HandReapedPostgresApplication app) : ApiTestBase<HandReapedPostgresApplication>(app)
{
    [Fact]
    public async Task ABatchStoredBetweenTheReapersReadAndItsUpdate_IsFollowedByTheRequeueLine_WithoutGap()
    {
        var (runId, claimed, agent) = await RunningAsync("late");
        Assert.Equal(HttpStatusCode.OK, (await agent.SendLogsAsync(runId, claimed.Epoch, 1, 1, 1)).StatusCode);
        var expires = await App.DbAsync(db => db.Runs.Where(r => r.Id == runId).Select(r => r.LeaseExpiresAt).SingleAsync());
        // The pass must find the lease expired: wait on the clock itself, since a delay computed to end 1 ms after the expiry
        // can end a little early, and then the pass saw nothing to reap (a clean-clone run failed so, finding the run still running).
        await Eventually.TrueAsync(() => Task.FromResult(TimeProvider.System.GetUtcNow() > expires!.Value), TimeSpan.FromSeconds(30),
            "the lease to expire");

        // The old holder's next batch lands the moment the pass has read the expired runs, before it updates this one.
        var database = new NpgsqlConnectionStringBuilder(await App.DbAsync(db => Task.FromResult(db.Database.GetConnectionString()!))).Database!;
        HttpStatusCode? late = null;
        using (new AfterExpiredRunsRead(database, () => late = agent.SendLogsAsync(runId, claimed.Epoch, 2, 2, 2).GetAwaiter().GetResult().StatusCode))
        {
            var reaper = App.Services.GetServices<IHostedService>().OfType<LeaseReaper>().Single();
            await reaper.ReapAsync(CancellationToken.None);
        }
        var run = await Admin.RunAsync(runId);
        var log = await JsonAsync(await Admin.GetAsync($"/api/runs/{runId}/logs"));
        var lines = log.GetProperty("items").EnumerateArray().ToList();

        Assert.Equal(HttpStatusCode.OK, late);
        Assert.Equal(("queued", 2), (run.GetProperty("status").GetString(), run.GetProperty("attempt").GetInt32()));
        Assert.Equal([1L, 2L, 3L, 4L], lines.Select(l => l.GetProperty("n").GetInt64()));
        Assert.Equal("system", lines[3].GetProperty("stream").GetString());
        Assert.Contains("requeued as attempt 2", lines[3].GetProperty("text").GetString());
    }

    /// <summary>Runs an action once, on the reaper's own thread, when its read of the expired runs has finished.</summary>
    private sealed class AfterExpiredRunsRead : IDisposable
    {
        private readonly ActivityListener _listener;
        private Action? _action;

        public AfterExpiredRunsRead(string database, Action action)
        {
            _action = action;
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name == "Npgsql",
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = activity =>
                {
                    var text = activity.Tags.FirstOrDefault(tag => tag.Key is "db.query.text" or "db.statement").Value ?? "";
                    if (activity.Tags.Any(tag => tag.Value == database) && text.StartsWith("SELECT", StringComparison.Ordinal)
                        && text.Contains("lease_expires_at <", StringComparison.Ordinal) && text.Contains("ORDER BY", StringComparison.Ordinal))
                    {
                        Interlocked.Exchange(ref _action, null)?.Invoke();
                    }
                },
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public void Dispose() => _listener.Dispose();
    }
}
