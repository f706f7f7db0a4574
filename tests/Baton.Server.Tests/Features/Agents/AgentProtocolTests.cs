using System.Net;
using System.Net.Http.Json;
using Baton.Contracts.Agents;
using Baton.Contracts.Json;
using Baton.Contracts.Runs;
using Baton.Core.Access;
using Baton.Server.Tests.Infrastructure;
using Baton.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Baton.Server.Tests.Features.Agents;

public sealed class SqliteAgentProtocolTests(SqliteApplication app) : AgentProtocolTests<SqliteApplication>(app);

public sealed class PostgresAgentProtocolTests(PostgresApplication app) : AgentProtocolTests<PostgresApplication>(app);

/// <summary>The agent protocol spoken by a test acting as the agent, checked against stored state.</summary>
public abstract class AgentProtocolTests<TApp>(TApp app) : ApiTestBase<TApp>(app) where TApp : BatonApplication
{
    private async Task<HttpClient> AgentClientAsync() => await App.AgentClientAsync();

    /// <summary>Each test routes its runs by a label of its own, so agents of other tests never take them.</summary>
    private static string NewLabel() => "t" + Guid.NewGuid().ToString("N")[..10];

    private async Task<(string Key, string Item)> RunnableAsync(string label, string yaml = RunArrange.TwoSteps)
    {
        var key = await CreateProjectAsync();
        return (key, await Admin.RunnableAsync(key, new { title = "item", labels = new[] { label } }, yaml));
    }

    /// <summary>A run of the two-step recipe, started and claimed by an agent of its own, named after <paramref name="agentName"/> and the label.</summary>
    private async Task<(long RunId, HttpClient Agent, ClaimedRun Claimed, string Label)> ClaimedRunAsync(string agentName)
    {
        var label = NewLabel();
        var (key, item) = await RunnableAsync(label);
        var runId = await Admin.StartRunAsync(key, item);
        var agent = await AgentClientAsync();
        var claimed = (await agent.ClaimAsync(await agent.RegisterAsync($"{agentName}-{label}", [label])))!;
        return (runId, agent, claimed, label);
    }

    [Fact]
    public async Task Claim_HandsOutAQueuedRun_UnderANewEpoch_WithItsRecipe()
    {
        var label = NewLabel();
        var (key, item) = await RunnableAsync(label);
        var runId = await Admin.StartRunAsync(key, item);
        var agent = await AgentClientAsync();
        var agentId = await agent.RegisterAsync("claimer-" + label, [label, "linux"]);

        var claimed = await agent.ClaimAsync(agentId);

        Assert.NotNull(claimed);
        Assert.Equal((runId, 1L, 1, 1L), (claimed.RunId, claimed.Epoch, claimed.Attempt, claimed.FirstLine));
        Assert.Equal(["build", "test"], claimed.Recipe.Steps.Select(s => s.Name));
        Assert.Equal(runId.ToString(System.Globalization.CultureInfo.InvariantCulture), claimed.Environment["BATON_RUN_ID"]);
        Assert.Equal((30, 10), (claimed.LeaseSeconds, claimed.RenewSeconds));
        var run = await Admin.RunAsync(runId);
        Assert.Equal(("running", "claimer-" + label), (run.GetProperty("status").GetString(), run.GetProperty("agent").GetString()));
        Assert.Null(await agent.ClaimAsync(agentId));
    }

    [Fact]
    public async Task AWaitingClaim_IsWokenByANewRun_InsteadOfWaitingForItsTimeout()
    {
        var label = NewLabel();
        var (key, item) = await RunnableAsync(label);
        var agent = await AgentClientAsync();
        var agentId = await agent.RegisterAsync("waiter-" + label, [label]);

        // The claim waits up to 60 s; it can only answer with the run if the new run wakes it.
        var waiting = agent.ClaimAsync(agentId, waitSeconds: 60);
        await Task.Yield();
        var runId = await Admin.StartRunAsync(key, item);
        var claimed = await waiting.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(runId, claimed?.RunId);
    }

    [Fact]
    public async Task Claims_MatchLabels_AndRespectCapacity_AndTheWaitingReasonSaysWhich()
    {
        var label = NewLabel();
        var (key, item) = await RunnableAsync(label);
        var agent = await AgentClientAsync();
        var other = await agent.RegisterAsync("other-" + label, ["linux"]);
        var first = await Admin.StartRunAsync(key, item);

        Assert.Null(await agent.ClaimAsync(other));
        Assert.Equal($"no online agent has labels {label}", (await Admin.RunAsync(first)).GetProperty("waitingReason").GetString());

        var matching = await agent.RegisterAsync("matching-" + label, [label], capacity: 1);
        Assert.Equal(first, (await agent.ClaimAsync(matching))?.RunId);
        var second = await Admin.StartRunAsync(key, item);
        Assert.Null(await agent.ClaimAsync(matching));
        Assert.Equal("the only matching agent is busy", (await Admin.RunAsync(second)).GetProperty("waitingReason").GetString());

        var agents = await JsonAsync(await Admin.GetAsync("/api/agents"));
        var listed = agents.EnumerateArray().Single(a => a.GetProperty("name").GetString() == "matching-" + label);
        Assert.Equal(("busy", 1), (listed.GetProperty("status").GetString(), listed.GetProperty("running").GetInt32()));
    }

    [Fact]
    public async Task Logs_AreStoredOnceInOrder_DuplicatesAcknowledged_EarlyBatchesRefused()
    {
        var (runId, agent, claimed, _) = await ClaimedRunAsync("logger");

        Assert.Equal(HttpStatusCode.OK, (await agent.SendLogsAsync(runId, claimed.Epoch, seq: 1, firstLine: 1, count: 3)).StatusCode);
        var early = await agent.SendLogsAsync(runId, claimed.Epoch, seq: 3, firstLine: 6, count: 2);
        Assert.Equal(HttpStatusCode.OK, (await agent.SendLogsAsync(runId, claimed.Epoch, seq: 2, firstLine: 4, count: 2, step: 1, LogSourceName.Stderr)).StatusCode);
        var duplicate = await agent.SendLogsAsync(runId, claimed.Epoch, seq: 2, firstLine: 4, count: 2, step: 1, LogSourceName.Stderr);
        Assert.Equal(HttpStatusCode.OK, (await agent.SendLogsAsync(runId, claimed.Epoch, seq: 3, firstLine: 6, count: 2)).StatusCode);
        var gap = await agent.SendLogsAsync(runId, claimed.Epoch, seq: 4, firstLine: 10, count: 1);
        var stale = await agent.SendLogsAsync(runId, claimed.Epoch + 1, seq: 4, firstLine: 8, count: 1);

        Assert.Equal((HttpStatusCode)425, early.StatusCode);
        Assert.True((await duplicate.Content.ReadFromJsonAsync<LogBatchReceipt>(BatonJson.Options))!.Duplicate);
        await ProblemAsync(gap, HttpStatusCode.UnprocessableEntity);
        await ProblemAsync(stale, HttpStatusCode.Conflict);
        var page = await JsonAsync(await Admin.GetAsync($"/api/runs/{runId}/logs"));
        Assert.Equal(Enumerable.Range(1, 7).Select(n => (long)n), page.GetProperty("items").EnumerateArray().Select(l => l.GetProperty("n").GetInt64()));
        Assert.Equal(7, page.GetProperty("totalLines").GetInt64());
        Assert.Equal(7, page.GetProperty("nextAfter").GetInt64());
        var stderr = await JsonAsync(await Admin.GetAsync($"/api/runs/{runId}/logs?stream=stderr"));
        Assert.Equal([4L, 5L], stderr.GetProperty("items").EnumerateArray().Select(l => l.GetProperty("n").GetInt64()));
        var stepOne = await JsonAsync(await Admin.GetAsync($"/api/runs/{runId}/logs?step=1"));
        Assert.Equal(2, stepOne.GetProperty("items").GetArrayLength());
        var paged = await JsonAsync(await Admin.GetAsync($"/api/runs/{runId}/logs?after=2&limit=3"));
        Assert.Equal([3L, 4L, 5L], paged.GetProperty("items").EnumerateArray().Select(l => l.GetProperty("n").GetInt64()));
        Assert.Equal(5, paged.GetProperty("nextAfter").GetInt64());
        var text = await Admin.GetStringAsync($"/api/runs/{runId}/logs?format=text&after=5");
        Assert.Equal("line 6\nline 7\n", text);
        await ProblemAsync(await Admin.GetAsync($"/api/runs/{runId}/logs?stream=video"), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task TheDownload_IsTheWholeLog_PastThePagedReadsLimit_AsOneNamedTextFile()
    {
        var (runId, agent, claimed, _) = await ClaimedRunAsync("long");
        Assert.Equal(HttpStatusCode.OK, (await agent.SendLogsAsync(runId, claimed.Epoch, seq: 1, firstLine: 1, count: 9_000)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await agent.SendLogsAsync(runId, claimed.Epoch, seq: 2, firstLine: 9_001, count: 3_000, step: 1)).StatusCode);

        var response = await Admin.GetAsync($"/api/runs/{runId}/logs/download");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"run-{runId}.log", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n');
        Assert.Equal(12_001, lines.Length);
        Assert.Equal(Enumerable.Range(1, 12_000).Select(n => $"line {n}"), lines[..^1]);
        Assert.Equal("", lines[^1]);
        await ProblemAsync(await Admin.GetAsync("/api/runs/987654321/logs/download"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ALineWithNulCharacters_IsStoredWithReplacementCharacters_AndStaysSearchable()
    {
        var (runId, agent, claimed, label) = await ClaimedRunAsync("nul");
        var word = "nul" + label;
        var body = $$"""{"epoch":{{claimed.Epoch}},"seq":1,"lines":[{"n":1,"ts":"2026-11-24T10:00:00Z","step":0,"stream":"stdout","text":"a\u0000b {{word}}"},{"n":2,"ts":"2026-11-24T10:00:01Z","step":0,"stream":"stdout","text":"literal \\u0000"}]}""";

        var response = await agent.PostAsync($"/api/runs/{runId}/logs", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await JsonAsync(await Admin.GetAsync($"/api/runs/{runId}/logs"));
        Assert.Equal(["a\uFFFDb " + word, "literal \\u0000"], page.GetProperty("items").EnumerateArray().Select(l => l.GetProperty("text").GetString()));
        var hits = await Eventually.MatchesAsync(async () => (await JsonAsync(await Admin.GetAsync($"/api/logs/search?q={word}"))).GetProperty("items"),
            items => items.GetArrayLength() > 0, TimeSpan.FromSeconds(30), "the line to be searchable");
        Assert.Equal((runId, 1L), (hits[0].GetProperty("runId").GetInt64(), hits[0].GetProperty("line").GetInt64()));
    }

    [Theory]
    [InlineData("{\"epoch\":1,\"seq\":1,\"lines\":[{\"n\":1,\"ts\":\"2026-11-24T10:00:00Z\",\"step\":0,\"stream\":\"stdout\",\"text\":\"a\",\"colour\":1}]}", "lines[0].colour")]
    [InlineData("{\"epoch\":1,\"seq\":1,\"lines\":[{\"n\":1,\"ts\":\"yesterday\",\"step\":0,\"stream\":\"stdout\",\"text\":\"a\"}]}", "lines[0].ts")]
    [InlineData("{\"epoch\":1,\"seq\":1,\"lines\":[{\"n\":1,\"ts\":\"2026-11-24T10:00:00Z\",\"step\":0,\"stream\":\"video\",\"text\":\"a\"}]}", "lines[0].stream")]
    [InlineData("{\"epoch\":1,\"seq\":1,\"lines\":[{\"n\":1,\"ts\":\"2026-11-24T10:00:00Z\",\"step\":-1,\"stream\":\"stdout\",\"text\":\"a\"}]}", "lines[0].step")]
    [InlineData("{\"epoch\":1,\"seq\":1,\"lines\":[{\"n\":1,\"ts\":\"2026-11-24T10:00:00Z\",\"stream\":\"stdout\",\"text\":\"a\"},{\"n\":3,\"ts\":\"2026-11-24T10:00:00Z\",\"stream\":\"stdout\",\"text\":\"b\"}]}", "lines[1].n")]
    [InlineData("{\"epoch\":1,\"seq\":0,\"lines\":[]}", "seq")]
    [InlineData("{\"epoch\":1,\"seq\":1,\"lines\":[{\"n\":1,\"ts\":\"2026-11-24T10:00:00Z\",\"stream\":\"stdout\"}]}", "lines[0]")]
    [InlineData("{\"epoch\":1,\"seq\":1,\"lines\":[", "body")]
    public async Task ABadLogBatch_IsRefusedNamingTheField_AndStoresNothing(string body, string field)
    {
        var (runId, agent, _, _) = await ClaimedRunAsync("bad");

        var response = await agent.PostAsync($"/api/runs/{runId}/logs", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Equal(0, (await Admin.RunAsync(runId)).GetProperty("logLines").GetInt64());
    }

    [Fact]
    public async Task StepsAndCompletion_AreStored_Idempotent_AndFencedByTheEpoch()
    {
        var (runId, agent, claimed, _) = await ClaimedRunAsync("stepper");
        var start = TimeProvider.System.GetUtcNow();

        var step = await agent.PutAsJsonAsync($"/api/runs/{runId}/steps/0",
            new StepUpdate(claimed.Epoch, StepStatus.Succeeded, 1, 0, start, start.AddSeconds(2)), BatonJson.Options);
        var staleStep = await agent.PutAsJsonAsync($"/api/runs/{runId}/steps/1",
            new StepUpdate(claimed.Epoch + 7, StepStatus.Running, 1, null, start, null), BatonJson.Options);
        var missingStep = await agent.PutAsJsonAsync($"/api/runs/{runId}/steps/9",
            new StepUpdate(claimed.Epoch, StepStatus.Running, 1, null, start, null), BatonJson.Options);
        var completed = await agent.CompleteAsync(runId, claimed.Epoch, RunResult.Failed, exitCode: 3);
        var repeated = await agent.CompleteAsync(runId, claimed.Epoch, RunResult.Failed, exitCode: 3);
        var afterEnd = await agent.SendLogsAsync(runId, claimed.Epoch, seq: 1, firstLine: 1, count: 1);

        Assert.Equal(HttpStatusCode.NoContent, step.StatusCode);
        await ProblemAsync(staleStep, HttpStatusCode.Conflict);
        await ProblemAsync(missingStep, HttpStatusCode.NotFound);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (completed.StatusCode, repeated.StatusCode));
        // The run's job token ended with it: only the completion may be repeated.
        await ProblemAsync(afterEnd, HttpStatusCode.Unauthorized);
        var run = await Admin.RunAsync(runId);
        Assert.Equal(("failed", 3), (run.GetProperty("status").GetString(), run.GetProperty("exitCode").GetInt32()));
        Assert.True(run.GetProperty("durationSeconds").GetDouble() >= 0);
        var steps = run.GetProperty("steps");
        Assert.Equal(("succeeded", 2.0), (steps[0].GetProperty("status").GetString(), steps[0].GetProperty("durationSeconds").GetDouble()));
        Assert.Equal("pending", steps[1].GetProperty("status").GetString());
    }

    [Fact]
    public async Task AStepsUpdate_StoresEveryState_InOneTransaction_AndABadOneStoresNothing()
    {
        var (runId, agent, claimed, _) = await ClaimedRunAsync("batcher");
        var start = TimeProvider.System.GetUtcNow();
        StepState State(int index, StepStatus status) => status == StepStatus.Running
            ? new(index, status, 1, null, start, null)
            : new(index, status, 1, 0, start, start.AddSeconds(1));
        Task<HttpResponseMessage> Put(long epoch, params StepState[] steps) =>
            agent.PutAsJsonAsync($"/api/runs/{runId}/steps", new StepsUpdate(epoch, steps), BatonJson.Options);

        var unknown = await Put(claimed.Epoch, State(0, StepStatus.Succeeded), State(5, StepStatus.Running));
        var twice = await Put(claimed.Epoch, State(0, StepStatus.Running), State(0, StepStatus.Succeeded));
        var empty = await Put(claimed.Epoch);
        var stale = await Put(claimed.Epoch + 7, State(0, StepStatus.Succeeded));
        var untouched = await Admin.RunAsync(runId);
        var stored = await Put(claimed.Epoch, State(0, StepStatus.Succeeded), State(1, StepStatus.Running));
        var repeated = await Put(claimed.Epoch, State(0, StepStatus.Succeeded), State(1, StepStatus.Running));

        Assert.True((await ProblemAsync(unknown, HttpStatusCode.UnprocessableEntity)).GetProperty("errors").TryGetProperty("steps[1].index", out _));
        Assert.True((await ProblemAsync(twice, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("steps[1].index", out _));
        Assert.True((await ProblemAsync(empty, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("steps", out _));
        await ProblemAsync(stale, HttpStatusCode.Conflict);
        // The refused calls kept nothing, not even the valid state in front of the unknown step.
        Assert.All(untouched.GetProperty("steps").EnumerateArray(), s => Assert.Equal("pending", s.GetProperty("status").GetString()));
        Assert.Equal((HttpStatusCode.NoContent, HttpStatusCode.NoContent), (stored.StatusCode, repeated.StatusCode));
        var steps = (await Admin.RunAsync(runId)).GetProperty("steps");
        Assert.Equal(("succeeded", 1.0), (steps[0].GetProperty("status").GetString(), steps[0].GetProperty("durationSeconds").GetDouble()));
        Assert.Equal("running", steps[1].GetProperty("status").GetString());
    }

    [Fact]
    public async Task ACompletion_CarriesTheStepsNotYetSent_InOneTransaction_AndAnUnknownStepUndoesIt()
    {
        var label = NewLabel();
        var (key, item) = await RunnableAsync(label);
        var agent = await AgentClientAsync();
        var agentId = await agent.RegisterAsync("carrier-" + label, [label]);
        var start = TimeProvider.System.GetUtcNow();
        StepState Step(int index, StepStatus status) => new(index, status, 1, status == StepStatus.Succeeded ? 0 : null, start, start.AddSeconds(1));

        var first = await Admin.StartRunAsync(key, item);
        var claimed = (await agent.ClaimAsync(agentId))!;
        var unknown = await agent.PostAsJsonAsync($"/api/runs/{first}/complete",
            new CompleteRequest(claimed.Epoch, RunResult.Succeeded, 0, Steps: [Step(0, StepStatus.Succeeded), Step(7, StepStatus.Succeeded)]), BatonJson.Options);
        var pending = await agent.PostAsJsonAsync($"/api/runs/{first}/complete",
            new CompleteRequest(claimed.Epoch, RunResult.Succeeded, 0, Steps: [Step(0, StepStatus.Pending)]), BatonJson.Options);
        var twice = await agent.PostAsJsonAsync($"/api/runs/{first}/complete",
            new CompleteRequest(claimed.Epoch, RunResult.Succeeded, 0, Steps: [Step(0, StepStatus.Succeeded), Step(0, StepStatus.Succeeded)]), BatonJson.Options);
        var untouched = await Admin.RunAsync(first);
        var carried = await agent.PostAsJsonAsync($"/api/runs/{first}/complete",
            new CompleteRequest(claimed.Epoch, RunResult.Succeeded, 0, Steps: [Step(0, StepStatus.Succeeded), Step(1, StepStatus.Succeeded)]), BatonJson.Options);

        Assert.True((await ProblemAsync(unknown, HttpStatusCode.UnprocessableEntity)).GetProperty("errors").TryGetProperty("steps[1].index", out _));
        Assert.True((await ProblemAsync(pending, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("steps[0].status", out _));
        Assert.True((await ProblemAsync(twice, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("steps[1].index", out _));
        // Nothing of the refused completions was kept: the run still runs, its steps are still pending.
        Assert.Equal(("running", "pending"), (untouched.GetProperty("status").GetString(), untouched.GetProperty("steps")[0].GetProperty("status").GetString()));
        Assert.Equal(HttpStatusCode.OK, carried.StatusCode);
        var done = await Admin.RunAsync(first);
        Assert.Equal("succeeded", done.GetProperty("status").GetString());
        Assert.All(done.GetProperty("steps").EnumerateArray(), s => Assert.Equal(("succeeded", 1.0),
            (s.GetProperty("status").GetString(), s.GetProperty("durationSeconds").GetDouble())));
    }

    [Fact]
    public async Task ACompletionThatAsksForMore_IsAnsweredWithTheAgentsNextRun_UnderItsLease()
    {
        var label = NewLabel();
        var (key, item) = await RunnableAsync(label);
        var agent = await AgentClientAsync();
        var agentId = await agent.RegisterAsync("eager-" + label, [label]);
        var first = await Admin.StartRunAsync(key, item);
        var claimed = (await agent.ClaimAsync(agentId))!;
        var second = await Admin.StartRunAsync(key, item);

        var answer = await agent.PostAsJsonAsync($"/api/runs/{first}/complete",
            new CompleteRequest(claimed.Epoch, RunResult.Succeeded, 0, ClaimFor: agentId), BatonJson.Options);
        var next = (await answer.Content.ReadFromJsonAsync<CompleteResponse>(BatonJson.Options))!;
        var last = await agent.PostAsJsonAsync($"/api/runs/{second}/complete",
            new CompleteRequest(next.Next!.Epoch, RunResult.Succeeded, 0, ClaimFor: agentId), BatonJson.Options);

        Assert.Equal((first, RunResult.Succeeded, second), (next.RunId, next.Status, next.Next.RunId));
        var handedOver = await Admin.RunAsync(second);
        Assert.Equal(("succeeded", "eager-" + label), (handedOver.GetProperty("status").GetString(), handedOver.GetProperty("agent").GetString()));
        // Nothing left: the answer says so instead of waiting.
        Assert.Null((await last.Content.ReadFromJsonAsync<CompleteResponse>(BatonJson.Options))!.Next);
    }

    [Fact]
    public async Task ALeasePoll_AnswersCancelAsSoonAsTheRunIsCancelled()
    {
        var (runId, agent, claimed, _) = await ClaimedRunAsync("leaser");

        var quiet = await agent.PostAsJsonAsync($"/api/runs/{runId}/lease", new LeaseRequest(claimed.Epoch), BatonJson.Options);
        // Waits up to the renew interval (10 s); only the cancellation can end it with cancel = true.
        var polling = agent.PostAsJsonAsync($"/api/runs/{runId}/lease", new LeaseRequest(claimed.Epoch, WaitSeconds: 10), BatonJson.Options);
        var cancel = await Admin.PostAsync($"/api/runs/{runId}/cancel", null);
        var answered = await polling.WaitAsync(TimeSpan.FromSeconds(30));
        var stale = await agent.PostAsJsonAsync($"/api/runs/{runId}/lease", new LeaseRequest(claimed.Epoch - 1), BatonJson.Options);

        Assert.False((await quiet.Content.ReadFromJsonAsync<LeaseResponse>(BatonJson.Options))!.Cancel);
        Assert.Equal("running", (await JsonAsync(cancel)).GetProperty("status").GetString());
        Assert.True((await answered.Content.ReadFromJsonAsync<LeaseResponse>(BatonJson.Options))!.Cancel);
        await ProblemAsync(stale, HttpStatusCode.Conflict);
        await agent.CompleteAsync(runId, claimed.Epoch, RunResult.Cancelled, exitCode: null);
        var ended = await Admin.RunAsync(runId);
        Assert.Equal("cancelled", ended.GetProperty("status").GetString());
        Assert.Equal($"cancelled by {Baton.Server.Features.Tokens.BootstrapToken.TokenName}", ended.GetProperty("statusReason").GetString());
    }

    [Fact]
    public async Task ManyAgentsClaimingAtOnce_NeverShareARun()
    {
        var label = NewLabel();
        var (key, item) = await RunnableAsync(label);
        const int Runs = 60;
        for (var i = 0; i < Runs; i++)
        {
            await Admin.StartRunAsync(key, item);
        }
        var agent = await AgentClientAsync();
        var ids = new List<long>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add(await agent.RegisterAsync($"racer-{i}-{label}", [label], capacity: 64));
        }

        var claims = await Task.WhenAll(ids.Select(async id =>
        {
            var mine = new List<long>();
            while (await agent.ClaimAsync(id) is { } claimed)
            {
                mine.Add(claimed.RunId);
            }
            return mine;
        }));

        var all = claims.SelectMany(c => c).ToList();
        Assert.Equal(Runs, all.Count);
        Assert.Equal(Runs, all.Distinct().Count());
        Assert.Equal(Runs, await App.DbAsync(db => db.Runs.CountAsync(r => all.Contains(r.Id) && r.LeaseEpoch == 1)));
    }

    [Fact]
    public async Task TheProtocol_NeedsTheAgentRole_AndValidInput()
    {
        var viewer = App.Client(await App.TokenAsync(Role.Viewer));
        var agent = await AgentClientAsync();

        Assert.Equal(HttpStatusCode.Forbidden,
            (await Admin.PostAsJsonAsync("/api/agents/register", new RegisterAgentRequest("a", [], 1, "x"), BatonJson.Options)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsJsonAsync("/api/runs/1/lease", new LeaseRequest(1), BatonJson.Options)).StatusCode);
        var invalid = await ProblemAsync(await agent.PostAsJsonAsync("/api/agents/register",
            new RegisterAgentRequest("", ["bad label"], 0, "x"), BatonJson.Options), HttpStatusCode.BadRequest);
        await ProblemAsync(await agent.PostAsJsonAsync("/api/agents/987654/claim", new ClaimRequest(0), BatonJson.Options), HttpStatusCode.NotFound);
        var errors = invalid.GetProperty("errors");
        Assert.True(errors.TryGetProperty("name", out _) && errors.TryGetProperty("capacity", out _));
    }
}
