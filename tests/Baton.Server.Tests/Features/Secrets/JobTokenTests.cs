using System.Net;
using System.Net.Http.Json;
using Baton.Contracts.Agents;
using Baton.Contracts.Json;
using Baton.Contracts.Runs;
using Baton.Core.Access;
using Baton.Core.Runs;
using Baton.Server.Infrastructure.Signals;
using Baton.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Baton.Server.Tests.Features.Secrets;

public sealed class SqliteJobTokenTests(SqliteApplication app) : JobTokenTests<SqliteApplication>(app);

public sealed class PostgresJobTokenTests(PostgresApplication app) : JobTokenTests<PostgresApplication>(app);

/// <summary>A claim's job token works for that run's calls only, and only while the run is running under that claim.</summary>
public abstract class JobTokenTests<TApp>(TApp app) : ApiTestBase<TApp>(app) where TApp : BatonApplication
{
    [Fact]
    public async Task AJobToken_WorksForItsRunOnly_UntilTheRunEnds_ThenOnlyRepeatsItsCompletion()
    {
        var label = "j" + Guid.NewGuid().ToString("N")[..10];
        var key = await CreateProjectAsync();
        var item = await Admin.RunnableAsync(key, new { title = "job", labels = new[] { label } });
        var first = await Admin.StartRunAsync(key, item);
        var second = await Admin.StartRunAsync(key, item);
        var agentToken = await App.TokenAsync(Role.Agent);
        var agent = App.Client(agentToken);
        var agentId = await agent.RegisterAsync("jobs-" + label, [label], capacity: 2);
        var one = (await agent.ClaimAsync(agentId))!;
        var two = (await agent.ClaimAsync(agentId))!;
        Assert.Equal((first, second), (one.RunId, two.RunId));
        Assert.NotEqual(one.JobToken, two.JobToken);
        var job = App.Client(one.JobToken);

        await AssertStatusAsync(HttpStatusCode.OK, await job.PostAsJsonAsync($"/api/runs/{first}/lease", new LeaseRequest(one.Epoch), BatonJson.Options));
        // Another run, the agent's own token, another endpoint: refused.
        await ProblemAsync(await job.PostAsJsonAsync($"/api/runs/{second}/lease", new LeaseRequest(two.Epoch), BatonJson.Options), HttpStatusCode.Unauthorized);
        await ProblemAsync(await agent.PostAsJsonAsync($"/api/runs/{first}/lease", new LeaseRequest(one.Epoch), BatonJson.Options), HttpStatusCode.Forbidden);
        await ProblemAsync(await job.PostAsJsonAsync($"/api/agents/{agentId}/claim", new ClaimRequest(0), BatonJson.Options), HttpStatusCode.Unauthorized);
        await ProblemAsync(await job.GetAsync("/api/projects"), HttpStatusCode.Unauthorized);

        var done = new CompleteRequest(one.Epoch, RunResult.Succeeded, 0);
        await AssertStatusAsync(HttpStatusCode.OK, await job.PostAsJsonAsync($"/api/runs/{first}/complete", done, BatonJson.Options));
        await AssertStatusAsync(HttpStatusCode.OK, await job.PostAsJsonAsync($"/api/runs/{first}/complete", done, BatonJson.Options));
        await ProblemAsync(await job.PostAsJsonAsync($"/api/runs/{first}/lease", new LeaseRequest(one.Epoch), BatonJson.Options), HttpStatusCode.Unauthorized);
        await ProblemAsync(await job.PutAsJsonAsync($"/api/runs/{first}/steps/0",
            new StepUpdate(one.Epoch, StepStatus.Succeeded, 1, 0, null, null), BatonJson.Options), HttpStatusCode.Unauthorized);
        await AssertStatusAsync(HttpStatusCode.OK,
            await App.Client(two.JobToken).PostAsJsonAsync($"/api/runs/{second}/lease", new LeaseRequest(two.Epoch), BatonJson.Options));
        var refused = await App.DbAsync(db => db.AuditEvents.CountAsync(a => a.Action == "auth.failed" && a.Subject == $"POST /api/runs/{second}/lease"));
        Assert.True(refused >= 1, "a refused job token is audited");
    }

    [Fact]
    public async Task ACompletion_ClaimsTheNextRunOnlyForTheAgentThatHeldTheRun()
    {
        var label = "n" + Guid.NewGuid().ToString("N")[..10];
        var key = await CreateProjectAsync();
        var item = await Admin.RunnableAsync(key, new { title = "next", labels = new[] { label } });
        var first = await Admin.StartRunAsync(key, item);
        var agent = await App.AgentClientAsync();
        var holder = await agent.RegisterAsync("holder-" + label, [label]);
        var other = await agent.RegisterAsync("other-" + label, [label]);
        var claimed = (await agent.ClaimAsync(holder))!;
        var second = await Admin.StartRunAsync(key, item);

        var answer = await agent.PostAsJsonAsync($"/api/runs/{first}/complete",
            new CompleteRequest(claimed.Epoch, RunResult.Succeeded, 0, ClaimFor: other), BatonJson.Options);

        await AssertStatusAsync(HttpStatusCode.OK, answer);
        Assert.Null((await answer.Content.ReadFromJsonAsync<CompleteResponse>(BatonJson.Options))!.Next);
        Assert.Equal("queued", (await Admin.RunAsync(second)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task OnlyTheTokenThatRegisteredAnAgent_MayClaimForIt()
    {
        var label = "o" + Guid.NewGuid().ToString("N")[..10];
        var key = await CreateProjectAsync();
        var item = await Admin.RunnableAsync(key, new { title = "owned", labels = new[] { label } });
        var runId = await Admin.StartRunAsync(key, item);
        var fleet = App.Client(await App.TokenAsync(Role.Agent));
        var stranger = App.Client(await App.TokenAsync(Role.Agent));
        var agentId = await fleet.RegisterAsync("owned-" + label, [label]);

        var taken = await stranger.PostAsJsonAsync($"/api/agents/{agentId}/claim", new ClaimRequest(0), BatonJson.Options);

        await ProblemAsync(taken, HttpStatusCode.Forbidden);
        Assert.Equal("queued", (await Admin.RunAsync(runId)).GetProperty("status").GetString());
        Assert.Equal(runId, (await fleet.ClaimAsync(agentId))?.RunId);
    }

    [Fact]
    public async Task AJobToken_StopsWorking_WhenItsRunIsClaimedAgain()
    {
        var label = "r" + Guid.NewGuid().ToString("N")[..10];
        var key = await CreateProjectAsync();
        var item = await Admin.RunnableAsync(key, new { title = "requeued", labels = new[] { label } });
        var runId = await Admin.StartRunAsync(key, item);
        var agent = App.Client(await App.TokenAsync(Role.Agent));
        var agentId = await agent.RegisterAsync("requeue-" + label, [label]);
        var before = (await agent.ClaimAsync(agentId))!;
        // The lease ran out and the reaper requeued the run (what a lost agent leads to).
        await App.DbAsync(db => db.Runs.Where(r => r.Id == runId).ExecuteUpdateAsync(set => set.SetProperty(r => r.Status, RunStatus.Queued)));
        // As the reaper does after a requeue: claims look at the queue again.
        App.Services.GetRequiredService<RunSignals>().PulseClaimable();

        var after = (await agent.ClaimAsync(agentId))!;

        Assert.Equal(runId, after.RunId);
        var stale = App.Client(before.JobToken);
        await ProblemAsync(await stale.PostAsJsonAsync($"/api/runs/{runId}/lease", new LeaseRequest(after.Epoch), BatonJson.Options), HttpStatusCode.Unauthorized);
        await AssertStatusAsync(HttpStatusCode.OK,
            await App.Client(after.JobToken).PostAsJsonAsync($"/api/runs/{runId}/lease", new LeaseRequest(after.Epoch), BatonJson.Options));
    }
}
