using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Baton.Contracts.Runs;
using Baton.Core.Access;
using Baton.Server.Tests.Infrastructure;
using Baton.Tests.Support;

namespace Baton.Server.Tests.Features.Plans;

public sealed class SqlitePlansApiTests(SqliteApplication app) : PlansApiTests<SqliteApplication>(app);

public sealed class PostgresPlansApiTests(PostgresApplication app) : PlansApiTests<PostgresApplication>(app);

/// <summary>Plans run by the background scheduler, with the test acting as the agent that executes their runs.</summary>
public abstract class PlansApiTests<TApp>(TApp app) : ApiTestBase<TApp>(app) where TApp : BatonApplication
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly string _label = "p" + Guid.NewGuid().ToString("N")[..10];
    private HttpClient? _agent;
    private long _agentId;

    private async Task<string> ItemAsync(string key, string[]? dependsOn = null, int priority = 0, object? concurrency = null) =>
        await Admin.RunnableAsync(key, new { title = "item", labels = new[] { _label }, dependsOn, priority, concurrency });

    private async Task<JsonElement> PlanAsync(string key, object? body = null)
    {
        var response = await Admin.PostAsJsonAsync($"/api/projects/{key}/plans", body ?? new { });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await JsonAsync(response);
    }

    private async Task<JsonElement> GetPlanAsync(long id) => await JsonAsync(await Admin.GetAsync($"/api/plans/{id}"));

    private static JsonElement Item(JsonElement plan, string workItem) =>
        plan.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("workItem").GetString() == workItem);

    private static string Status(JsonElement plan, string workItem) => Item(plan, workItem).GetProperty("status").GetString()!;

    private Task<JsonElement> WaitForAsync(long planId, Func<JsonElement, bool> condition, string what) =>
        Eventually.MatchesAsync(() => GetPlanAsync(planId), condition, Deadline, what);

    /// <summary>Claims the next run as an agent would and ends it with <paramref name="result"/>; returns its work item.</summary>
    private async Task<string> ExecuteNextAsync(RunResult result = RunResult.Succeeded, int exitCode = 1)
    {
        if (_agent is null)
        {
            _agent = await App.AgentClientAsync();
            _agentId = await _agent.RegisterAsync("planner-" + _label, [_label], capacity: 10);
        }
        var claimed = await _agent.ClaimAsync(_agentId, waitSeconds: 20);
        Assert.NotNull(claimed);
        Assert.Equal(HttpStatusCode.OK, (await _agent.CompleteAsync(claimed.RunId, claimed.Epoch, result, result == RunResult.Succeeded ? 0 : exitCode)).StatusCode);
        return claimed.WorkItem;
    }

    [Fact]
    public async Task AChain_RunsOneLinkAtATime_InOrder_AndThePlanSucceeds()
    {
        var key = await CreateProjectAsync();
        var first = await ItemAsync(key);
        var second = await ItemAsync(key, [first]);
        var third = await ItemAsync(key, [second]);

        var plan = await PlanAsync(key);
        var id = plan.GetProperty("id").GetInt64();
        var started = await WaitForAsync(id, p => Status(p, first) == "started", "the first link to start");

        Assert.Equal("waiting", Status(started, second));
        Assert.Matches($"^waiting for dependency {first} \\((queued|running)\\)$", Item(started, second).GetProperty("waitingReason").GetString());
        var order = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            order.Add(await ExecuteNextAsync());
        }
        var done = await WaitForAsync(id, p => p.GetProperty("status").GetString() != "running", "the plan to end");
        Assert.Equal([first, second, third], order);
        Assert.Equal("succeeded", done.GetProperty("status").GetString());
        Assert.All(done.GetProperty("items").EnumerateArray(), i => Assert.Equal("succeeded", i.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task ADiamondWithAFailedBranch_SkipsTheJoin_RunsTheOtherBranch_AndFails()
    {
        var key = await CreateProjectAsync();
        var root = await ItemAsync(key);
        var left = await ItemAsync(key, [root]);
        var right = await ItemAsync(key, [root]);
        var join = await ItemAsync(key, [left, right]);
        var id = (await PlanAsync(key)).GetProperty("id").GetInt64();

        Assert.Equal(root, await ExecuteNextAsync());
        await WaitForAsync(id, p => Status(p, left) == "started" && Status(p, right) == "started", "both branches to start (fan-out)");
        var branches = new[] { await ExecuteNextAsync(RunResult.Failed), await ExecuteNextAsync() };
        var done = await WaitForAsync(id, p => p.GetProperty("status").GetString() != "running", "the plan to end");

        Assert.Equal([left, right], branches.Order());
        var failed = branches[0];
        Assert.Equal("failed", done.GetProperty("status").GetString());
        Assert.Equal("failed", Status(done, failed));
        Assert.Equal("skipped", Status(done, join));
        Assert.Equal($"dependency {failed} failed", Item(done, join).GetProperty("reason").GetString());
        Assert.Equal(JsonValueKind.Null, Item(done, join).GetProperty("runId").ValueKind);
    }

    [Fact]
    public async Task AFanOutAndFanIn_StartsTheBranchesTogether_AndTheJoinOnlyAfterTheLast()
    {
        var key = await CreateProjectAsync();
        var root = await ItemAsync(key);
        var branches = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            branches.Add(await ItemAsync(key, [root]));
        }
        var join = await ItemAsync(key, [.. branches]);
        var id = (await PlanAsync(key)).GetProperty("id").GetInt64();

        Assert.Equal(root, await ExecuteNextAsync());
        await WaitForAsync(id, p => branches.All(b => Status(p, b) == "started"), "every branch to start at once");
        var done = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            done.Add(await ExecuteNextAsync());
        }
        var last = branches.Except(done).Single();
        var waiting = await GetPlanAsync(id);
        Assert.Equal("waiting", Status(waiting, join));
        Assert.Matches($"^waiting for dependency {last} \\((queued|running)\\)$", Item(waiting, join).GetProperty("waitingReason").GetString());
        Assert.Equal(last, await ExecuteNextAsync());
        Assert.Equal(join, await ExecuteNextAsync());
        Assert.Equal("succeeded", (await WaitForAsync(id, p => p.GetProperty("status").GetString() != "running", "the plan to end"))
            .GetProperty("status").GetString());
    }

    [Fact]
    public async Task ReadyItems_AreTakenHighestPriorityFirst()
    {
        var key = await CreateProjectAsync();
        var low = await ItemAsync(key, priority: 1);
        var high = await ItemAsync(key, priority: 7);
        var middle = await ItemAsync(key, priority: 3);
        var id = (await PlanAsync(key)).GetProperty("id").GetInt64();
        await WaitForAsync(id, p => new[] { low, high, middle }.All(i => Status(p, i) == "started"), "every item's run to exist");

        var order = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            order.Add(await ExecuteNextAsync());
        }

        Assert.Equal([high, middle, low], order);
    }

    [Fact]
    public async Task NamedItems_BringTheirDependencies_AndNothingElse()
    {
        var key = await CreateProjectAsync();
        var first = await ItemAsync(key);
        var second = await ItemAsync(key, [first]);
        var unrelated = await ItemAsync(key);

        var plan = await PlanAsync(key, new { workItems = new[] { second } });

        Assert.Equal([first, second], plan.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("workItem").GetString()));
        Assert.DoesNotContain(unrelated, plan.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("workItem").GetString()));
        var unknown = await ProblemAsync(await Admin.PostAsJsonAsync($"/api/projects/{key}/plans", new { workItems = new[] { "WI-99" } }),
            HttpStatusCode.UnprocessableEntity);
        Assert.True(unknown.GetProperty("errors").TryGetProperty("workItems[0]", out _));
        await Admin.WorkItemAsync(key);
        var noRecipe = await ProblemAsync(await Admin.PostAsJsonAsync($"/api/projects/{key}/plans", new { }), HttpStatusCode.UnprocessableEntity);
        Assert.Contains("have no recipe yet", noRecipe.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task CancellingARunMidPlan_CancelsItsItem_SkipsItsDependents_AndThePlan()
    {
        var key = await CreateProjectAsync();
        var first = await ItemAsync(key);
        var second = await ItemAsync(key, [first]);
        var id = (await PlanAsync(key)).GetProperty("id").GetInt64();
        var started = await WaitForAsync(id, p => Status(p, first) == "started", "the first item to start");

        (await Admin.PostAsync($"/api/runs/{Item(started, first).GetProperty("runId").GetInt64()}/cancel", null)).EnsureSuccessStatusCode();
        var done = await WaitForAsync(id, p => p.GetProperty("status").GetString() != "running", "the plan to end");

        Assert.Equal(("cancelled", "cancelled", "skipped"), (done.GetProperty("status").GetString(), Status(done, first), Status(done, second)));
        Assert.Equal($"dependency {first} was cancelled", Item(done, second).GetProperty("reason").GetString());
    }

    [Fact]
    public async Task AConcurrencyGroup_RunsOneAtATime_InPriorityOrder_QueuedNotCancelled_AndSaysWhoHoldsIt()
    {
        var key = await CreateProjectAsync();
        var group = new { group = "deploy", limit = 1 };
        var low = await ItemAsync(key, priority: 1, concurrency: group);
        var high = await ItemAsync(key, priority: 9, concurrency: group);
        var middle = await ItemAsync(key, priority: 5, concurrency: group);
        var id = (await PlanAsync(key)).GetProperty("id").GetInt64();

        // Every item gets its run at once; the group lets one of them hold its slot, the others wait queued.
        var started = await WaitForAsync(id, p => new[] { low, high, middle }.All(i => Status(p, i) == "started"), "every item's run to exist");
        var holder = Item(started, high).GetProperty("runId").GetInt64();
        Assert.All(new[] { low, middle }, i => Assert.Equal(("queued", $"concurrency group deploy held by run {holder}"),
            (Item(started, i).GetProperty("runStatus").GetString(), Item(started, i).GetProperty("waitingReason").GetString())));
        var queue = await JsonAsync(await Admin.GetAsync("/api/queue"));
        Assert.Contains(queue.GetProperty("items").EnumerateArray(), e => e.GetProperty("workItem").GetString() == low
            && e.GetProperty("project").GetString() == key && e.GetProperty("reason").GetString() == $"concurrency group deploy held by run {holder}");

        var order = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            order.Add(await ExecuteNextAsync());
        }
        Assert.Equal([high, middle, low], order);
        Assert.Equal("succeeded", (await WaitForAsync(id, p => p.GetProperty("status").GetString() != "running", "the plan to end"))
            .GetProperty("status").GetString());
    }

    [Fact]
    public async Task APlanScheduledLater_WaitsWithItsTime_AndApprovalStillApplies()
    {
        var key = await CreateProjectAsync(new { runApprovalRequired = true, requiredApprovals = 1 });
        var item = await ItemAsync(key);
        var later = TimeProvider.System.GetUtcNow().AddHours(3);

        var delayed = await PlanAsync(key, new { scheduledFor = later });
        var delayedId = delayed.GetProperty("id").GetInt64();
        var ready = await WaitForAsync(delayedId, p => Status(p, item) == "ready", "the delayed item to be ready");
        var now = await PlanAsync(key);
        var gated = await WaitForAsync(now.GetProperty("id").GetInt64(), p => Status(p, item) == "started", "the item to start");

        Assert.Equal($"scheduled for {later.UtcDateTime:yyyy-MM-dd HH:mm} UTC", Item(ready, item).GetProperty("waitingReason").GetString());
        Assert.Equal("pending_approval", Item(gated, item).GetProperty("runStatus").GetString());
        Assert.Equal("waiting for approval (0 of 1)", Item(gated, item).GetProperty("waitingReason").GetString());
        var tick = await JsonAsync(await Admin.PostAsync("/api/scheduler/tick", null));
        Assert.Equal(later, tick.GetProperty("nextDueAt").GetDateTimeOffset(), TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task RerunFailed_RequeuesOnlyWhatDidNotSucceed_AndKeepsTheApproval_WhileTheRecipeIsUnchanged()
    {
        var key = await CreateProjectAsync(new { runApprovalRequired = true, requiredApprovals = 1 });
        var good = await ItemAsync(key);
        var flaky = await ItemAsync(key);
        var approver = App.Client(await App.TokenAsync(Role.Maintainer));
        var id = (await PlanAsync(key)).GetProperty("id").GetInt64();
        var gated = await WaitForAsync(id, p => Status(p, good) == "started" && Status(p, flaky) == "started", "both runs to exist");
        foreach (var item in new[] { good, flaky })
        {
            (await approver.PostAsJsonAsync($"/api/runs/{Item(gated, item).GetProperty("runId").GetInt64()}/approve", new { })).EnsureSuccessStatusCode();
        }
        var results = new Dictionary<string, RunResult> { [good] = RunResult.Succeeded, [flaky] = RunResult.Failed };
        for (var i = 0; i < 2; i++)
        {
            var claimed = (await (_agent ??= await AgentAsync()).ClaimAsync(_agentId, waitSeconds: 20))!;
            await _agent.CompleteAsync(claimed.RunId, claimed.Epoch, results[claimed.WorkItem], 1);
        }
        var failed = await WaitForAsync(id, p => p.GetProperty("status").GetString() == "failed", "the plan to fail");
        var goodRun = Item(failed, good).GetProperty("runId").GetInt64();

        var rerun = await JsonAsync(await Admin.PostAsync($"/api/plans/{id}/rerun-failed", null));
        var restarted = await WaitForAsync(id, p => Status(p, flaky) == "started", "the failed item to run again");
        var newRun = await Admin.RunAsync(Item(restarted, flaky).GetProperty("runId").GetInt64());

        Assert.Equal("running", rerun.GetProperty("status").GetString());
        Assert.Equal(goodRun, Item(restarted, good).GetProperty("runId").GetInt64());
        Assert.Equal(("queued", "rerun"), (newRun.GetProperty("status").GetString(), newRun.GetProperty("trigger").GetString()));
        await ProblemAsync(await Admin.PostAsync($"/api/plans/{id}/rerun-failed", null), HttpStatusCode.Conflict);
        Assert.Equal(flaky, await ExecuteNextAsync());
        Assert.Equal("succeeded", (await WaitForAsync(id, p => p.GetProperty("status").GetString() != "running", "the plan to end"))
            .GetProperty("status").GetString());

        // A changed recipe needs a new approval.
        var second = (await PlanAsync(key, new { workItems = new[] { flaky } })).GetProperty("id").GetInt64();
        var pending = await WaitForAsync(second, p => Status(p, flaky) == "started", "the run to exist");
        var run = Item(pending, flaky).GetProperty("runId").GetInt64();
        (await Admin.PostAsync($"/api/runs/{run}/cancel", null)).EnsureSuccessStatusCode();
        await WaitForAsync(second, p => p.GetProperty("status").GetString() == "cancelled", "the plan to be cancelled");
        await Admin.SetRecipeAsync(key, flaky, "steps:\n  - name: changed\n    run: echo changed\n");
        await Admin.PostAsync($"/api/plans/{second}/rerun-failed", null);
        var regated = await WaitForAsync(second, p => Status(p, flaky) == "started", "the item to run again");
        Assert.Equal("pending_approval", Item(regated, flaky).GetProperty("runStatus").GetString());
    }

    [Fact]
    public async Task APausedQueue_StartsNothing_UntilResumed()
    {
        var key = await CreateProjectAsync();
        var item = await ItemAsync(key);
        Assert.Equal(HttpStatusCode.NoContent, (await Admin.PostAsync("/api/queue/pause", null)).StatusCode);
        try
        {
            var id = (await PlanAsync(key)).GetProperty("id").GetInt64();
            var held = await WaitForAsync(id, p => Status(p, item) == "ready", "the item to be ready");
            Assert.Equal("queue paused", Item(held, item).GetProperty("waitingReason").GetString());
            (await Admin.PostAsync("/api/scheduler/tick", null)).EnsureSuccessStatusCode();
            Assert.Equal("ready", Status(await GetPlanAsync(id), item));
            Assert.Equal(0, (await JsonAsync(await Admin.GetAsync($"/api/runs?project={key}"))).GetProperty("items").GetArrayLength());
        }
        finally
        {
            Assert.Equal(HttpStatusCode.NoContent, (await Admin.PostAsync("/api/queue/resume", null)).StatusCode);
        }
        await Eventually.TrueAsync(async () => (await JsonAsync(await Admin.GetAsync($"/api/runs?project={key}"))).GetProperty("items").GetArrayLength() == 1,
            Deadline, "the item to start after resuming");
    }

    [Fact]
    public async Task ARunFailingWithARetryableExitCode_IsRetried_UpToTheRule()
    {
        var key = await CreateProjectAsync();
        var item = await Admin.RunnableAsync(key, new { title = "flaky", labels = new[] { _label }, retry = new { exitCodes = new[] { 3 }, attempts = 1, delaySeconds = 0 } });
        var id = (await PlanAsync(key)).GetProperty("id").GetInt64();

        await ExecuteNextAsync(RunResult.Failed, exitCode: 3);
        var retried = await WaitForAsync(id, p => Status(p, item) == "started" && Item(p, item).GetProperty("reason").ValueKind == JsonValueKind.String,
            "the retry to start");
        var retry = await Admin.RunAsync(Item(retried, item).GetProperty("runId").GetInt64());
        await ExecuteNextAsync(RunResult.Failed, exitCode: 3);
        var done = await WaitForAsync(id, p => p.GetProperty("status").GetString() != "running", "the plan to end");

        Assert.StartsWith("retry 1 of 1 after run ", Item(retried, item).GetProperty("reason").GetString());
        Assert.Equal("rerun", retry.GetProperty("trigger").GetString());
        Assert.Equal(("failed", "failed"), (done.GetProperty("status").GetString(), Status(done, item)));
        Assert.Equal(2, (await JsonAsync(await Admin.GetAsync($"/api/runs?project={key}"))).GetProperty("items").GetArrayLength());
        var rule = (await JsonAsync(await Admin.GetAsync($"/api/projects/{key}/work-items/{item}"))).GetProperty("retry");
        Assert.Equal((3, 1), (rule.GetProperty("exitCodes")[0].GetInt32(), rule.GetProperty("attempts").GetInt32()));
    }

    [Fact]
    public async Task RetryRules_ComeFromTheRecipe_ThenTheWorkItem_ThenTheProjectPolicy()
    {
        var key = await CreateProjectAsync(new { retry = new { exitCodes = new[] { 4 }, attempts = 1, delaySeconds = 0 } });
        var byProject = await ItemAsync(key);
        var byRecipe = await Admin.RunnableAsync(key, new { title = "recipe", labels = new[] { _label }, retry = new { exitCodes = new[] { 5 }, attempts = 1, delaySeconds = 0 } },
            "retry: { exit_codes: [6], attempts: 1 }\nsteps:\n  - name: s\n    run: exit 6\n");
        var exitCodes = new Dictionary<string, Queue<int>> { [byProject] = new([4, 0]), [byRecipe] = new([5]) };
        var id = (await PlanAsync(key)).GetProperty("id").GetInt64();

        for (var i = 0; i < 3; i++)
        {
            var claimed = (await (_agent ??= await AgentAsync()).ClaimAsync(_agentId, waitSeconds: 20))!;
            var code = exitCodes[claimed.WorkItem].Dequeue();
            await _agent.CompleteAsync(claimed.RunId, claimed.Epoch, code == 0 ? RunResult.Succeeded : RunResult.Failed, code);
        }
        var done = await WaitForAsync(id, p => p.GetProperty("status").GetString() != "running", "the plan to end");

        // The project's rule retried exit 4; the recipe's rule (exit 6) displaced the work item's (exit 5), so 5 was final.
        Assert.Equal(("succeeded", "failed"), (Status(done, byProject), Status(done, byRecipe)));
        var project = (await JsonAsync(await Admin.GetAsync($"/api/projects/{key}"))).GetProperty("policy").GetProperty("retry");
        Assert.Equal((4, 1), (project.GetProperty("exitCodes")[0].GetInt32(), project.GetProperty("attempts").GetInt32()));
        var retried = await JsonAsync(await Admin.GetAsync($"/api/runs?project={key}&workItem={byProject}"));
        Assert.Equal(2, retried.GetProperty("items").GetArrayLength());

        var again = (await PlanAsync(key, new { workItems = new[] { byRecipe } })).GetProperty("id").GetInt64();
        var agent = _agent!;
        var first = (await agent.ClaimAsync(_agentId, waitSeconds: 20))!;
        await agent.CompleteAsync(first.RunId, first.Epoch, RunResult.Failed, 6);
        var retry = await WaitForAsync(again, p => Item(p, byRecipe).GetProperty("reason").ValueKind == JsonValueKind.String
            && Status(p, byRecipe) is "ready" or "started", "the recipe's rule to retry exit 6");
        Assert.EndsWith("exited with 6 (the recipe's retry rule)", Item(retry, byRecipe).GetProperty("reason").GetString());
        var bad = await ProblemAsync(await Admin.PatchAsJsonAsync($"/api/projects/{key}", new { policy = new { retry = new { exitCodes = new[] { 0 }, attempts = 1, delaySeconds = 0 } } }),
            HttpStatusCode.BadRequest);
        Assert.True(bad.GetProperty("errors").TryGetProperty("policy.retry.exitCodes", out _));
    }

    private async Task<HttpClient> AgentAsync()
    {
        var agent = await App.AgentClientAsync();
        _agentId = await agent.RegisterAsync("planner-" + _label, [_label], capacity: 10);
        return agent;
    }
}
