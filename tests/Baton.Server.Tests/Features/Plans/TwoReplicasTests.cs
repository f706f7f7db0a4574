using System.Net.Http.Json;
using System.Text.Json;
using Baton.Core.Access;
using Baton.Server.Tests.Infrastructure;
using Baton.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Baton.Server.Tests.Features.Plans;

/// <summary>Two replicas on one PostgreSQL database: their schedulers racing for one plan, their agents for one concurrency group, their token caches.</summary>
public sealed class TwoReplicasTests : TwoReplicasTestBase
{
    [Fact]
    public async Task TwoReplicas_NeverStartTheSamePlanItemTwice()
    {
        const int Items = 40;
        var admin = A.Client();
        var key = "r" + Guid.NewGuid().ToString("N")[..10];
        (await admin.PostAsJsonAsync("/api/projects", new { key, name = key })).EnsureSuccessStatusCode();
        for (var i = 0; i < Items; i++)
        {
            // A label no agent has: the runs stay queued, so only the schedulers act.
            await admin.RunnableAsync(key, new { title = $"item {i}", labels = new[] { "nobody-" + key } });
        }

        var plan = await (await B.Client().PostAsJsonAsync($"/api/projects/{key}/plans", new { })).Content.ReadFromJsonAsync<JsonElement>();
        var id = plan.GetProperty("id").GetInt64();
        var ticks = Enumerable.Range(0, 10).SelectMany(_ => new[] { A, B }).Select(app => app.Client().PostAsync("/api/scheduler/tick", null));
        await Task.WhenAll(ticks);
        await Eventually.TrueAsync(async () =>
        {
            var current = await admin.GetFromJsonAsync<JsonElement>($"/api/plans/{id}");
            return current.GetProperty("items").EnumerateArray().All(i => i.GetProperty("status").GetString() == "started");
        }, TimeSpan.FromSeconds(60), "every item to start");

        var runs = await A.DbAsync(db => db.Runs.Where(r => db.Projects.Any(p => p.Id == r.ProjectId && p.Key == key))
            .Select(r => new { r.Id, r.WorkItemId }).ToListAsync());
        var items = await A.DbAsync(db => db.PlanItems.Where(i => i.PlanId == id).Select(i => new { i.WorkItemId, i.RunId }).ToListAsync());
        Assert.Equal(Items, runs.Count);
        Assert.Equal(Items, runs.Select(r => r.WorkItemId).Distinct().Count());
        Assert.Equal(runs.Select(r => (long?)r.Id).Order(), items.Select(i => i.RunId).Order());
    }

    [Fact]
    public async Task TwoReplicas_KeepAConcurrencyGroupWithinItsLimit_WhileAgentsOnBothRaceForIt()
    {
        const int Runs = 24;
        var admin = A.Client();
        var key = "g" + Guid.NewGuid().ToString("N")[..10];
        (await admin.PostAsJsonAsync("/api/projects", new { key, name = key })).EnsureSuccessStatusCode();
        var item = await admin.RunnableAsync(key, new { title = "deploy", labels = new[] { key }, concurrency = new { group = "deploy", limit = 2 } },
            "steps:\n  - name: deploy\n    run: 'true'\n");
        // Every creation admits what fits, all at once on both replicas: exactly two may hold the group's slots.
        var started = await Task.WhenAll(Enumerable.Range(0, Runs).Select(i => (i % 2 == 0 ? A : B).Client().StartRunAsync(key, item)));
        Assert.Equal(2, await A.DbAsync(db => db.Runs.CountAsync(r => started.Contains(r.Id) && !r.Held)));

        var active = 0;
        var most = 0;
        var done = 0;
        async Task AgentAsync(ReplicaApplication replica, int n)
        {
            var agent = await replica.AgentClientAsync();
            var id = await agent.RegisterAsync($"racer{n}-{key}", [key], capacity: 4);
            var deadline = TimeProvider.System.GetTimestamp();
            while (Volatile.Read(ref done) < Runs && TimeProvider.System.GetElapsedTime(deadline) < TimeSpan.FromSeconds(90))
            {
                if (await agent.ClaimAsync(id, waitSeconds: 1) is not { } run)
                {
                    continue;
                }
                var now = Interlocked.Increment(ref active);
                InterlockedMax(ref most, now);
                // Holding the slot a moment, so that runs claimed on both replicas overlap if the group let them.
                await Task.Delay(20);
                Interlocked.Decrement(ref active);
                (await agent.CompleteAsync(run.RunId, run.Epoch)).EnsureSuccessStatusCode();
                Interlocked.Increment(ref done);
            }
        }
        await Task.WhenAll(AgentAsync(A, 0), AgentAsync(A, 1), AgentAsync(B, 2), AgentAsync(B, 3));

        Assert.Equal(Runs, done);
        Assert.InRange(most, 1, 2);
        var statuses = await B.DbAsync(db => db.Runs.Where(r => started.Contains(r.Id)).Select(r => r.Status).ToListAsync());
        Assert.All(statuses, status => Assert.Equal(Core.Runs.RunStatus.Succeeded, status));
    }

    [Fact]
    public async Task ATokenRevokedOnOneReplica_IsRefusedByTheOther_BeforeItsCacheWouldForget()
    {
        var created = await (await A.Client().PostAsJsonAsync("/api/tokens", new { name = "short-lived", role = "viewer" })).Content
            .ReadFromJsonAsync<JsonElement>();
        var viewer = B.Client(created.GetProperty("secret").GetString());
        (await viewer.GetAsync("/api/projects")).EnsureSuccessStatusCode();

        (await A.Client().DeleteAsync($"/api/tokens/{created.GetProperty("token").GetProperty("id").GetInt64()}")).EnsureSuccessStatusCode();

        // Within the cache's lifetime: only the revocation's notice can make replica B refuse it this soon.
        await Eventually.TrueAsync(async () => (await viewer.GetAsync("/api/projects")).StatusCode == System.Net.HttpStatusCode.Unauthorized,
            Baton.Server.Infrastructure.Auth.TokenCache.Lifetime / 2, "replica B to refuse the revoked token");
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
