using System.Globalization;
using Baton.Agent.Hosting;
using Baton.Agent.Logs;
using Baton.Contracts.Agents;
using Baton.Contracts.Recipes;
using Baton.Contracts.Runs;
using Baton.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Baton.Agent.Tests.Hosting;

/// <summary>A real agent host, real processes, against the in-test fake server over HTTP.</summary>
public sealed class AgentHostTests : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly string _directory = Directory.CreateTempSubdirectory("baton-agent-host-").FullName;
    private readonly HttpClient _http = AgentHost.CreateHttpClient();
    private readonly CancellationTokenSource _stop = new();
    private FakeAgentServer _server = null!;
    private Task? _host;

    public async Task InitializeAsync() => _server = await FakeAgentServer.StartAsync();

    private string WorkDirectory => Path.Combine(_directory, "agent");

    private string PathOf(string name) => Path.Combine(_directory, name);

    private void StartHost(int capacity = 1, TimeSpan? drainGrace = null, TimeSpan? logRefusalBudget = null)
    {
        var options = new AgentOptions
        {
            Server = _server.Url,
            Token = FakeAgentServer.Token,
            Capacity = capacity,
            WorkDirectory = WorkDirectory,
            Name = "test-agent",
            // Short enough that a failing test which leaves a run blocked still ends soon.
            DrainGrace = drainGrace ?? TimeSpan.FromSeconds(10),
            LogRefusalBudget = logRefusalBudget ?? LogShipper.RefusalBudget,
        };
        _host = new AgentHost(options, _http, NullLoggerFactory.Instance, TimeProvider.System).RunAsync(_stop.Token);
    }

    private async Task StopHostAsync()
    {
        await _stop.CancelAsync();
        await _host!.WaitAsync(Deadline);
    }

    private static ClaimedRun Run(long id, params RecipeStep[] steps) => new()
    {
        RunId = id,
        Epoch = 3,
        Attempt = 1,
        Project = "demo",
        WorkItem = "WI-1",
        Recipe = new RecipeSpec { Steps = steps },
        RecipeHash = "hash",
        FirstLine = 101,
        MaxLogBytes = 1_000_000,
        LeaseSeconds = 5,
        RenewSeconds = 1,
        Environment = new Dictionary<string, string> { ["BATON_RUN_ID"] = id.ToString(CultureInfo.InvariantCulture) },
    };

    private static RecipeStep Step(string name, string run) => new() { Name = name, Run = run };

    private static Task<CompleteRequest> CompletedAsync(FakeRun run) =>
        Eventually.ReturnsAsync(() => Task.FromResult(run.Completed), Deadline, $"run {run.Claimed.RunId} to complete");

    private Task<string> FileAsync(string name) =>
        Eventually.ReturnsAsync(() => Task.FromResult(File.Exists(PathOf(name)) && File.ReadAllText(PathOf(name)).Trim() is { Length: > 0 } text ? text : null),
            Deadline, $"{name} to be written");

    [Fact]
    public async Task Host_ExecutesAClaimedRun_LinesDenseFromFirstLine_StepsInOrder_CompleteLast()
    {
        StartHost();
        var run = _server.Queue(Run(7, Step("hello", "echo one; echo two >&2"), Step("env", "echo \"run $BATON_RUN_ID in $(basename $PWD)\""),
            Step("fails", "exit 3"), Step("never", "echo no")));

        var complete = await CompletedAsync(run);

        Assert.Equal((RunResult.Failed, 3, 3L), (complete.Result, complete.ExitCode, complete.Epoch));
        var lines = run.Lines;
        Assert.Equal(Enumerable.Range(101, lines.Count).Select(n => (long)n), lines.Select(l => l.N));
        Assert.Contains(lines, l => l is { Step: 1, Source: LogSourceName.Stdout, Text: "run 7 in 7-3" });
        Assert.Contains(lines, l => l is { Step: 0, Source: LogSourceName.Stderr, Text: "two" });
        // Quick steps' "running" may be coalesced away; ends always arrive, in order.
        var steps = run.Events.Where(e => e.StartsWith("step", StringComparison.Ordinal)).ToList();
        Assert.Equal(["step 0 Succeeded", "step 1 Succeeded", "step 2 Failed", "step 3 Skipped"], steps.Where(e => !e.EndsWith(" Running", StringComparison.Ordinal)));
        Assert.All(steps.Where(e => e.EndsWith(" Running", StringComparison.Ordinal)),
            running => Assert.True(steps.IndexOf(running) < steps.FindIndex(e => e.StartsWith(running[..7], StringComparison.Ordinal) && !e.EndsWith(" Running", StringComparison.Ordinal))));
        Assert.Equal("complete Failed", run.Events[^1]);
        await StopHostAsync();
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(WorkDirectory, "runs")));
        Assert.Equal("test-agent", Assert.Single(_server.Registrations).Name);
    }

    [Fact]
    public async Task Host_CancelsTheRun_WhenTheLeaseAnswersCancel_KillingItsProcessGroup()
    {
        StartHost();
        var run = _server.Queue(Run(8, Step("long", $"echo $$ > {PathOf("group")}; sleep 300 & echo $! > {PathOf("sleep")}; wait"), Step("after", "true")));
        var group = await FileAsync("group");
        var sleep = await FileAsync("sleep");

        run.Cancel();
        var complete = await CompletedAsync(run);

        Assert.Equal(RunResult.Cancelled, complete.Result);
        Assert.False(ProcessTable.GroupIsAlive(int.Parse(group, CultureInfo.InvariantCulture)), "the step's process group is gone");
        Assert.False(ProcessTable.IsAlive(int.Parse(sleep, CultureInfo.InvariantCulture)));
        // A step cancelled within the coalescing window may never have been reported running.
        Assert.Equal(["step 0 Cancelled", "step 1 Skipped", "complete Cancelled"],
            run.Events.Where(e => !e.StartsWith("logs", StringComparison.Ordinal) && e != "step 0 Running"));
        await StopHostAsync();
    }

    [Fact]
    public async Task Host_FailsTheRun_SayingWhy_WhenTheServerKeepsRefusingItsLog()
    {
        StartHost(logRefusalBudget: TimeSpan.FromSeconds(1));
        var run = _server.Queue(Run(12, Step("long", $"sleep 300 & echo $! > {PathOf("sleep")}; echo started; wait")), failLogs: true);
        var sleep = int.Parse(await FileAsync("sleep"), CultureInfo.InvariantCulture);

        var complete = await CompletedAsync(run);

        Assert.Equal(RunResult.Failed, complete.Result);
        Assert.Contains("the server refused log batch 1", complete.Reason, StringComparison.Ordinal);
        Assert.False(ProcessTable.IsAlive(sleep), "the step's processes were stopped");
        await StopHostAsync();
    }

    [Fact]
    public async Task Host_CompletesTheRun_WithItsStepStates_WhenTheServerKeepsFailingStepUpdates()
    {
        StartHost();
        // Long enough that the step's "running" is sent (and fails) while the step still runs.
        var run = _server.Queue(Run(13, Step("slow", "sleep 1.5; echo done")), failSteps: true);

        var complete = await CompletedAsync(run);

        Assert.Equal(RunResult.Succeeded, complete.Result);
        var carried = Assert.Single(complete.Steps ?? []);
        Assert.Equal((0, StepStatus.Succeeded, 0), (carried.Index, carried.Status, carried.ExitCode));
        await StopHostAsync();
    }

    [Fact]
    public async Task Host_KillsTheRun_AndSendsNoComplete_WhenLogsAnswerStaleEpoch()
    {
        StartHost();
        var run = _server.Queue(Run(9, Step("long", $"sleep 300 & echo $! > {PathOf("sleep")}; echo started; wait")), rejectLogs: true);
        var sleep = int.Parse(await FileAsync("sleep"), CultureInfo.InvariantCulture);

        await Eventually.ReturnsAsync(() => Task.FromResult(ProcessTable.IsAlive(sleep) ? null : "gone"), Deadline, "the step's sleep to be killed");
        await StopHostAsync();

        Assert.Null(run.Completed);
        Assert.Contains("409", run.Events);
        Assert.DoesNotContain(run.Events, e => e.StartsWith("complete", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Host_KillsTheRun_AndSendsNoComplete_WhenTheLeaseAnswersStaleEpoch()
    {
        StartHost();
        var run = _server.Queue(Run(12, Step("long", $"sleep 300 & echo $! > {PathOf("sleep")}; wait")));
        var sleep = int.Parse(await FileAsync("sleep"), CultureInfo.InvariantCulture);

        run.LeaseRevoked = true;

        await Eventually.ReturnsAsync(() => Task.FromResult(ProcessTable.IsAlive(sleep) ? null : "gone"), Deadline, "the step's sleep to be killed");
        await StopHostAsync();
        Assert.Null(run.Completed);
        Assert.DoesNotContain(run.Events, e => e is "step 0 Cancelled" || e.StartsWith("complete", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(502)]
    [InlineData(503)]
    public async Task Host_CompletesTheRun_WithEveryLineOnce_AfterAProxyAnsweredForADeadReplicaMidRun(int status)
    {
        StartHost();
        // Five lines while the server is up, 25 while it is down, one after it is back.
        var run = _server.Queue(Run(14, Step("count", $"for i in $(seq 1 30); do echo \"line $i\"; "
            + $"[ $i = 5 ] && echo yes > {PathOf("five")} && while [ ! -f {PathOf("down")} ]; do sleep 0.05; done; done; "
            + $"echo yes > {PathOf("printed")}; while [ ! -f {PathOf("back")} ]; do sleep 0.05; done; echo after")));
        await FileAsync("five");

        _server.DownWith = status;
        await File.WriteAllTextAsync(PathOf("down"), "");
        await FileAsync("printed");
        // Down until log batches were refused and retried, by then with the 25 lines printed meanwhile spooled.
        await Eventually.TrueAsync(() => Task.FromResult(_server.LogsRefusedWhileDown >= 3), Deadline, "log batches to be refused while the replica is dead");
        _server.DownWith = null;
        await File.WriteAllTextAsync(PathOf("back"), "");

        var complete = await CompletedAsync(run);
        Assert.Equal(RunResult.Succeeded, complete.Result);
        var lines = run.Lines;
        Assert.Equal(Enumerable.Range(101, lines.Count).Select(n => (long)n), lines.Select(l => l.N));
        Assert.Equal([.. Enumerable.Range(1, 30).Select(i => $"line {i}"), "after"], lines.Where(l => l.Source == LogSourceName.Stdout).Select(l => l.Text));
        Assert.Equal("complete Succeeded", run.Events[^1]);
        await StopHostAsync();
    }

    [Fact]
    public async Task Host_ReportsALongStepRunning_BeforeItEnds()
    {
        StartHost();
        // The step runs until the server has heard it is running: no guess at how long the report may take on a busy machine.
        var run = _server.Queue(Run(8, Step("slow", $"while [ ! -f {PathOf("release")} ]; do sleep 0.05; done")));

        await Eventually.ReturnsAsync(() => Task.FromResult(run.Events.FirstOrDefault(e => e.StartsWith("step", StringComparison.Ordinal))),
            Deadline, "the step's first report");
        await File.WriteAllTextAsync(PathOf("release"), "");
        await CompletedAsync(run);

        var steps = run.Events.Where(e => e.StartsWith("step", StringComparison.Ordinal)).ToList();
        Assert.Equal(["step 0 Running", "step 0 Succeeded"], steps);
    }

    [Fact]
    public async Task Host_SendsTheStepsThatChangeTogether_InOneCall_InOrder()
    {
        StartHost();
        // Quick steps between two that wait to be released: the quick steps' states are sent while the last step still
        // runs, not with the completion. Each waiting step is released once the server has heard it is running.
        string Waits(string file) => $"while [ ! -f {PathOf(file)} ]; do sleep 0.05; done";
        var quick = Enumerable.Range(1, 20).Select(i => Step($"quick{i}", "true"));
        var run = _server.Queue(Run(9, [Step("first", Waits("first")), .. quick, Step("last", Waits("last"))]));
        Task Reported(string step) => Eventually.ReturnsAsync(() => Task.FromResult(run.Events.FirstOrDefault(e => e == step)), Deadline, step);

        await Reported("step 0 Running");
        await File.WriteAllTextAsync(PathOf("first"), "");
        await Reported("step 21 Running");
        await File.WriteAllTextAsync(PathOf("last"), "");
        await CompletedAsync(run);

        var sent = run.StepUpdates;
        Assert.Equal(Enumerable.Range(0, 22), sent.Where(s => s.Update.Status == StepStatus.Succeeded).Select(s => s.Index).Distinct().Order());
        // A step's end comes right after the previous step's end and its own start: they share a call, so there are fewer
        // calls than states, and no state was sent twice.
        Assert.True(run.StepCalls.Count < sent.Count, $"{run.StepCalls.Count} calls for {sent.Count} step states");
        Assert.Equal(sent.Count, sent.Distinct().Count());
        Assert.Equal(["step 0 Running", "step 0 Succeeded"], run.Events.Where(e => e.StartsWith("step 0 ", StringComparison.Ordinal)));
        await StopHostAsync();
    }

    [Fact]
    public async Task Host_TakesTheNextRunFromItsCompletionsAnswer_InTheSameSlot_WithoutAClaim()
    {
        StartHost();
        var first = _server.Queue(Run(21, Step("wait", $"echo yes > {PathOf("started")}; while [ ! -f {PathOf("release")} ]; do sleep 0.05; done")));
        await FileAsync("started");
        var claimsBefore = _server.Claims.Count;
        var second = _server.Queue(Run(22, Step("quick", "echo next")));

        await File.WriteAllTextAsync(PathOf("release"), "");

        Assert.Equal(RunResult.Succeeded, (await CompletedAsync(first)).Result);
        Assert.Equal(RunResult.Succeeded, (await CompletedAsync(second)).Result);
        Assert.Equal(1, _server.EagerClaims);
        Assert.Equal(1L, first.Completed!.ClaimFor);
        Assert.Contains(second.Lines, l => l.Text == "next");
        // The slot went straight from run 21 to run 22: the only claim since is the long poll that waits for more work.
        Assert.InRange(_server.Claims.Count - claimsBefore, 0, 1);
        await StopHostAsync();
    }

    [Fact]
    public async Task Host_RegistersAgain_WhenTheServerNoLongerKnowsIt_AndGoesOnClaiming()
    {
        _server.ForgetAgentOnce = true;
        StartHost();
        var run = _server.Queue(Run(7, Step("hello", "echo hello")));

        var complete = await CompletedAsync(run);

        Assert.Equal(RunResult.Succeeded, complete.Result);
        Assert.Equal(2, _server.Registrations.Count);
    }

    [Fact]
    public async Task Host_NeverRunsMoreThanItsCapacity_AtOnce()
    {
        StartHost(capacity: 2);
        var gate = $"touch {PathOf("started")}-$BATON_RUN_ID; while [ ! -f {PathOf("release")} ]; do sleep 0.05; done";
        var runs = Enumerable.Range(1, 4).Select(id => _server.Queue(Run(id, Step("wait", gate)))).ToList();

        await Eventually.ReturnsAsync(() => Task.FromResult(Directory.EnumerateFiles(_directory, "started-*").Count() >= 2 ? "two" : null),
            Deadline, "two runs to start");
        Assert.Equal(2, _server.Active);
        await File.WriteAllTextAsync(PathOf("release"), "");
        foreach (var run in runs)
        {
            Assert.Equal(RunResult.Succeeded, (await CompletedAsync(run)).Result);
        }

        Assert.Equal(2, _server.MaxActive);
        await StopHostAsync();
    }

    [Fact]
    public async Task Host_Draining_StopsClaiming_AndLetsTheRunningRunFinish()
    {
        StartHost();
        var run = _server.Queue(Run(10, Step("wait", $"echo yes > {PathOf("started")}; while [ ! -f {PathOf("release")} ]; do sleep 0.05; done; echo finished")));
        await FileAsync("started");

        await _stop.CancelAsync();
        await Eventually.ReturnsAsync(() => Task.FromResult(_server.Claims.Any(c => c.Draining) ? "draining" : null), Deadline, "the draining claim");
        Assert.False(_host!.IsCompleted, "the host waits for its running run");
        await File.WriteAllTextAsync(PathOf("release"), "");
        await _host.WaitAsync(Deadline);

        Assert.Equal(RunResult.Succeeded, run.Completed?.Result);
        Assert.Contains(run.Lines, l => l.Text == "finished");
        Assert.True(_server.Claims.Last().Draining, "no claim after the draining one");
        Assert.Single(_server.Claims, c => c.Draining);
    }

    [Fact]
    public async Task Host_CancelsRunningRuns_WhenTheDrainGracePasses_AndReportsThem()
    {
        StartHost(drainGrace: TimeSpan.FromMilliseconds(200));
        var run = _server.Queue(Run(11, Step("stuck", $"sleep 300 & echo $! > {PathOf("sleep")}; wait")));
        var sleep = int.Parse(await FileAsync("sleep"), CultureInfo.InvariantCulture);

        await StopHostAsync();

        var complete = Assert.IsType<CompleteRequest>(run.Completed);
        Assert.Equal(RunResult.Cancelled, complete.Result);
        Assert.Contains("drain grace", complete.Reason, StringComparison.Ordinal);
        Assert.False(ProcessTable.IsAlive(sleep));
    }

    public async Task DisposeAsync()
    {
        if (_host is not null && !_host.IsCompleted)
        {
            await StopHostAsync();
        }
        await _server.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    public void Dispose()
    {
        _http.Dispose();
        _stop.Dispose();
    }
}
