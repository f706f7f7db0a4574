using System.Net;
using System.Net.Http.Json;
using Baton.Contracts.Runs;
using Baton.Core.Access;
using Baton.Server.Tests.Infrastructure;

namespace Baton.Server.Tests.Features.Runs;

public sealed class SqliteConcurrencyGroupsTests(SqliteApplication app) : ConcurrencyGroupsTests<SqliteApplication>(app);

public sealed class PostgresConcurrencyGroupsTests(PostgresApplication app) : ConcurrencyGroupsTests<PostgresApplication>(app);

/// <summary>Runs started by hand wait in their concurrency group like the scheduler's: queued, in order, never cancelled.</summary>
public abstract class ConcurrencyGroupsTests<TApp>(TApp app) : ApiTestBase<TApp>(app) where TApp : BatonApplication
{
    private readonly string _label = "g" + Guid.NewGuid().ToString("N")[..10];

    private async Task<string> GroupedItemAsync(string key, int priority, int limit = 1) =>
        await Admin.RunnableAsync(key, new { title = "deploy", labels = new[] { _label }, priority, concurrency = new { group = "deploy", limit } });

    private async Task<(HttpClient Client, long Id)> AgentAsync(int capacity)
    {
        var agent = await App.AgentClientAsync();
        return (agent, await agent.RegisterAsync("grouped-" + _label, [_label], capacity));
    }

    private async Task<string?> ReasonAsync(long run) => (await Admin.RunAsync(run)).GetProperty("waitingReason").GetString();

    [Fact]
    public async Task ManualRunsOfAFullGroup_WaitQueued_AndStartInPriorityOrder_AsTheSlotFrees()
    {
        var key = await CreateProjectAsync();
        var low = await GroupedItemAsync(key, priority: 0);
        var high = await GroupedItemAsync(key, priority: 5);
        var (agent, agentId) = await AgentAsync(capacity: 3);

        var holder = await Admin.StartRunAsync(key, low);
        var later = await Admin.StartRunAsync(key, low);
        var urgent = await Admin.StartRunAsync(key, high);
        var cancelled = await Admin.StartRunAsync(key, low);

        foreach (var run in new[] { later, urgent, cancelled })
        {
            Assert.Equal("queued", (await Admin.RunAsync(run)).GetProperty("status").GetString());
        }
        Assert.Equal($"concurrency group deploy held by run {holder}", await ReasonAsync(urgent));
        var first = await agent.ClaimAsync(agentId);
        // The agent has room for three, but the group has room for one.
        Assert.Equal(holder, first?.RunId);
        Assert.Null(await agent.ClaimAsync(agentId));
        Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsync($"/api/runs/{cancelled}/cancel", null)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await agent.CompleteAsync(holder, first!.Epoch)).StatusCode);
        var second = await agent.ClaimAsync(agentId);
        Assert.Equal(urgent, second?.RunId);
        Assert.Equal($"concurrency group deploy held by run {urgent}", await ReasonAsync(later));
        Assert.Equal(HttpStatusCode.OK, (await agent.CompleteAsync(urgent, second!.Epoch, RunResult.Failed, 1)).StatusCode);
        var third = await agent.ClaimAsync(agentId);

        Assert.Equal(later, third?.RunId);
        Assert.Equal("cancelled", (await Admin.RunAsync(cancelled)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task AGroupWithALimitOfTwo_LetsTwoHoldSlots_AndAnApprovedRunWaitsItsTurn()
    {
        var key = await CreateProjectAsync(new { runApprovalRequired = true, requiredApprovals = 1, selfApprovalAllowed = true });
        var item = await GroupedItemAsync(key, priority: 0, limit: 2);
        var (agent, agentId) = await AgentAsync(capacity: 5);
        var runs = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            runs.Add(await Admin.StartRunAsync(key, item));
        }
        // Waiting for approval holds no slot: approving queues the run, and then the group decides.
        foreach (var run in runs)
        {
            Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsJsonAsync($"/api/runs/{run}/approve", new { })).StatusCode);
        }

        var claimed = new[] { await agent.ClaimAsync(agentId), await agent.ClaimAsync(agentId), await agent.ClaimAsync(agentId) };

        Assert.Equal(runs.Take(2), claimed.Take(2).Select(c => c?.RunId ?? 0));
        Assert.Null(claimed[2]);
        Assert.Equal($"concurrency group deploy held by runs {runs[0]}, {runs[1]}", await ReasonAsync(runs[2]));
        Assert.Equal(HttpStatusCode.OK, (await agent.CompleteAsync(runs[1], claimed[1]!.Epoch)).StatusCode);
        Assert.Equal(runs[2], (await agent.ClaimAsync(agentId))?.RunId);
    }
}
