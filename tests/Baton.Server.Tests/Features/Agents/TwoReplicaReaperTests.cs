using System.Net.Http.Json;
using Baton.Core.Runs;
using Baton.Server.Features.Agents;
using Baton.Server.Features.Logs;
using Baton.Server.Tests.Infrastructure;
using Baton.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Baton.Server.Tests.Features.Agents;

/// <summary>The lease reaper runs on every replica; the conditional update on (run, epoch, running, expired) lets only one act on each expiry.</summary>
public sealed class TwoReplicaReaperTests : TwoReplicasTestBase
{
    private const int Runs = 30;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    // Long enough that claiming every run ends before the first lease expires, short enough for two expiries per test.
    protected override IReadOnlyDictionary<string, string?> ReplicaSettings => new Dictionary<string, string?>
    {
        ["Runs:LeaseSeconds"] = "5",
        ["Runs:RenewSeconds"] = "2",
        ["Runs:RestartGraceSeconds"] = "0",
    };

    [Fact]
    public async Task ManyLeasesExpiringAtOnce_AreEachReapedExactlyOnce_WhileBothReplicasReap()
    {
        // Each replica's reaper hears of the other's leases through PostgreSQL: both watch every lease.
        await ReplicasKnowEachOtherAsync();
        var label = "l" + Guid.NewGuid().ToString("N")[..10];
        var admin = A.Client();
        (await admin.PostAsJsonAsync("/api/projects", new { key = label, name = label })).EnsureSuccessStatusCode();
        var item = await admin.RunnableAsync(label, new { title = "item", labels = new[] { label } });
        var runs = new List<long>();
        for (var i = 0; i < Runs; i++)
        {
            runs.Add(await (i % 2 == 0 ? A : B).Client().StartRunAsync(label, item));
        }
        var agentA = await A.AgentClientAsync();
        var agentB = await B.AgentClientAsync();
        var agents = new[] { (agentA, await agentA.RegisterAsync("silent-a-" + label, [label], Runs)),
            (agentB, await agentB.RegisterAsync("silent-b-" + label, [label], Runs)) };

        // Attempt 1: agents on both replicas take every run and go silent; every lease expires within a moment of the others.
        Assert.All(await ClaimAllAsync(agents), claim => Assert.Equal((1, 1L), (claim.Attempt, claim.Epoch)));
        await ExpireAsync(runs, RunStatus.Queued);
        var requeued = await RowsAsync(runs);

        // Attempt 2, the last: the same again, and this expiry ends the runs.
        Assert.All(await ClaimAllAsync(agents), claim => Assert.Equal((2, 2L), (claim.Attempt, claim.Epoch)));
        await ExpireAsync(runs, RunStatus.Failed);
        var failed = await RowsAsync(runs);
        var lines = await A.DbAsync(db => db.LogChunks.AsNoTracking().Where(c => runs.Contains(c.RunId)).ToListAsync());
        var reapedOnA = Expiries(A);
        var reapedOnB = Expiries(B);

        // Each expiry moved the attempt on by one and wrote one line: two reapers acting on one would show twice.
        Assert.All(requeued, run => Assert.Equal((RunStatus.Queued, 2, 1L, 1L), (run.Status, run.Attempt, run.LeaseEpoch, run.LogLines)));
        Assert.All(failed, run => Assert.Equal((RunStatus.Failed, 2, 2L, 2L), (run.Status, run.Attempt, run.LeaseEpoch, run.LogLines)));
        foreach (var run in runs)
        {
            var texts = lines.Where(c => c.RunId == run).SelectMany(LogLines.Read).OrderBy(l => l.N).ToList();
            Assert.Equal([1L, 2L], texts.Select(l => l.N));
            Assert.Contains("during attempt 1 of 2; requeued as attempt 2", texts[0].Text);
            Assert.Contains("during attempt 2 of 2; no attempts left", texts[1].Text);
        }
        Assert.True(reapedOnA + reapedOnB == 2 * Runs, $"replica A logged {reapedOnA} expiries and B {reapedOnB}; expected {2 * Runs} in all");
        // A pass that lost a race must find the run changed and leave it, not fail (its loop would swallow that and wait a lease).
        Assert.DoesNotContain(A.Logs.Entries.Concat(B.Logs.Entries), e => e.Category == typeof(LeaseReaper).FullName && e.Level >= LogLevel.Error);
    }

    /// <summary>Claims every queued run of the test through the two agents; answers the claims.</summary>
    private static async Task<List<Contracts.Agents.ClaimedRun>> ClaimAllAsync((HttpClient Client, long Id)[] agents)
    {
        var claims = new List<Contracts.Agents.ClaimedRun>();
        var claimed = 0;
        async Task ClaimAsync(HttpClient client, long id)
        {
            // A claim finds nothing only while the other agent's claims hold the last rows: it asks again, until all are taken.
            while (Volatile.Read(ref claimed) < Runs)
            {
                if (await client.ClaimAsync(id) is { } run)
                {
                    lock (claims)
                    {
                        claims.Add(run);
                    }
                    Interlocked.Increment(ref claimed);
                }
            }
        }
        await Task.WhenAll(agents.Select(agent => ClaimAsync(agent.Client, agent.Id))).WaitAsync(Deadline);
        Assert.Equal(Runs, claims.Select(c => c.RunId).Distinct().Count());
        return claims;
    }

    /// <summary>
    /// Waits for every lease to expire and every run to reach <paramref name="status"/>. When the last lease has expired,
    /// four more passes start at once, two on each replica, beside both replicas' own loops: whatever those have not
    /// reaped yet, six passes race for.
    /// </summary>
    private async Task ExpireAsync(List<long> runs, RunStatus status)
    {
        var last = await A.DbAsync(db => db.Runs.Where(r => runs.Contains(r.Id)).MaxAsync(r => r.LeaseExpiresAt));
        var wait = last!.Value - TimeProvider.System.GetUtcNow() + TimeSpan.FromMilliseconds(1);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }
        var reapers = new[] { Reaper(A), Reaper(B), Reaper(A), Reaper(B) };
        await Task.WhenAll(reapers.Select(reaper => reaper.ReapAsync(CancellationToken.None)));
        await Eventually.TrueAsync(async () => await A.DbAsync(db => db.Runs.CountAsync(r => runs.Contains(r.Id) && r.Status == status)) == Runs,
            Deadline, $"every run to be {status}");
    }

    private static LeaseReaper Reaper(ReplicaApplication replica) => replica.Services.GetServices<IHostedService>().OfType<LeaseReaper>().Single();

    private async Task<List<Run>> RowsAsync(List<long> runs) =>
        await A.DbAsync(db => db.Runs.AsNoTracking().Where(r => runs.Contains(r.Id)).OrderBy(r => r.Id).ToListAsync());

    /// <summary>The expiries a replica's reaper acted on, as it logged them.</summary>
    private static int Expiries(ReplicaApplication replica) => replica.Logs.Entries.Count(e =>
        e.Category == typeof(LeaseReaper).FullName && e.Message.Contains(": lease expired on silent-", StringComparison.Ordinal));
}
