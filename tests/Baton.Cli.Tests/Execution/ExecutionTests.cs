using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Baton.Tests.Support;

namespace Baton.Cli.Tests.Execution;

public sealed class SqliteExecutionTests() : ExecutionTests("sqlite");

public sealed class PostgresExecutionTests() : ExecutionTests("postgres");

/// <summary>What a recipe's steps do when they run for real on an agent, seen through the API.</summary>
public abstract class ExecutionTests(string provider) : IAsyncLifetime
{
    private ExecutionCluster _cluster = null!;
    private string _label = "";

    public async Task InitializeAsync()
    {
        _cluster = await ExecutionCluster.StartAsync(provider);
        _label = "e" + Guid.NewGuid().ToString("N")[..10];
        await _cluster.StartAgentAsync("worker-" + _label, _label, capacity: 2);
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private async Task<long> RunAsync(string yaml)
    {
        var (project, item) = await _cluster.WorkItemAsync(yaml, _label);
        return await _cluster.StartRunAsync(project, item);
    }

    private static string[] StepStatuses(JsonElement run) =>
        [.. run.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("status").GetString()!)];

    private static Task<JsonElement> FinalAsync(ExecutionCluster cluster, long runId) =>
        cluster.WaitForRunAsync(runId, run => run.GetProperty("status").GetString() is "succeeded" or "failed" or "timed_out" or "cancelled",
            "a final status");

    [Fact]
    public async Task Steps_RetryContinueOnErrorTimeoutAndHugeOrBinaryOutput_BehaveAsWritten()
    {
        var marker = Path.Combine(_cluster.Directory, _label + ".flaky");
        var runId = await RunAsync($$"""
            env: { GREETING: recipe, WHO: recipe }
            steps:
              - name: lots
                run: seq 1 100000
              - name: garbage
                run: head -c 3000 /dev/urandom; echo; printf 'bad \xff\xfe utf8\n'; echo "$GREETING $WHO" >&2
                env: { WHO: step }
              - name: flaky
                run: test -f {{marker}} || { touch {{marker}}; exit 1; }
                retry: { attempts: 1, delay: 100ms }
              - name: soft
                run: exit 3
                continue_on_error: true
              - name: slow
                run: sleep 30
                timeout: 1s
                continue_on_error: true
              - name: last
                run: pwd
            """);

        var run = await FinalAsync(_cluster, runId);

        Assert.Equal("succeeded", run.GetProperty("status").GetString());
        Assert.Equal(["succeeded", "succeeded", "succeeded", "failed", "timed_out", "succeeded"], StepStatuses(run));
        var steps = run.GetProperty("steps");
        Assert.Equal(2, steps[2].GetProperty("attempt").GetInt32());
        Assert.Equal(3, steps[3].GetProperty("exitCode").GetInt32());
        var log = await _cluster.LogAsync(runId);
        Assert.Equal(Enumerable.Range(1, log.Count).Select(n => (long)n), log.Select(l => l.GetProperty("n").GetInt64()));
        Assert.Equal(100_000, log.Count(l => l.GetProperty("step").ValueKind == JsonValueKind.Number && l.GetProperty("step").GetInt32() == 0));
        Assert.Contains(log, l => l.GetProperty("stream").GetString() == "stderr" && l.GetProperty("text").GetString() == "recipe step");
        Assert.Contains(log, l => l.GetProperty("text").GetString() == "bad \uFFFD\uFFFD utf8");
        var workspace = log.Last(l => l.GetProperty("step").ValueKind == JsonValueKind.Number && l.GetProperty("step").GetInt32() == 5);
        Assert.Contains(Path.Combine("agents", "worker-" + _label), workspace.GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFailingStep_FailsTheRunWithItsExitCode_AndSkipsTheRest()
    {
        var runId = await RunAsync("steps:\n  - name: ok\n    run: 'true'\n  - name: broken\n    run: exit 7\n  - name: never\n    run: echo never\n");

        var run = await FinalAsync(_cluster, runId);

        Assert.Equal(("failed", 7), (run.GetProperty("status").GetString(), run.GetProperty("exitCode").GetInt32()));
        Assert.Equal(["succeeded", "failed", "skipped"], StepStatuses(run));
        Assert.DoesNotContain(await _cluster.LogAsync(runId), l => l.GetProperty("text").GetString() == "never");
    }

    [Fact]
    public async Task ARunPastItsTimeout_IsTimedOut()
    {
        var runId = await RunAsync("timeout: 2s\nsteps:\n  - name: forever\n    run: sleep 60\n  - name: after\n    run: 'true'\n");

        var run = await FinalAsync(_cluster, runId);

        Assert.Equal("timed_out", run.GetProperty("status").GetString());
        Assert.Equal("skipped", StepStatuses(run)[1]);
    }

    [Fact]
    public async Task CancellingARunningRun_EndsItsWholeProcessTree_WithinFifteenSeconds()
    {
        var pidFile = Path.Combine(_cluster.Directory, _label + ".grandchild");
        // The grandchild ignores SIGINT and SIGTERM: only the final SIGKILL to the process group ends it.
        var runId = await RunAsync($"steps:\n  - name: stubborn\n    run: bash -c 'trap \"\" INT TERM; echo $$ > {pidFile}; while true; do sleep 1; done' & wait\n");
        await Eventually.TrueAsync(() => Task.FromResult(File.Exists(pidFile) && new FileInfo(pidFile).Length > 0), ExecutionCluster.Deadline,
            "the grandchild to start");
        var grandchild = int.Parse((await File.ReadAllTextAsync(pidFile)).Trim(), CultureInfo.InvariantCulture);

        var clock = Stopwatch.StartNew();
        (await _cluster.Admin.PostAsync($"/api/runs/{runId}/cancel", null)).EnsureSuccessStatusCode();
        await Eventually.TrueAsync(() => Task.FromResult(!ProcessProbe.Alive(grandchild)), TimeSpan.FromSeconds(30), "the grandchild to be killed");
        var gone = clock.Elapsed;
        var run = await FinalAsync(_cluster, runId);

        Assert.True(gone < TimeSpan.FromSeconds(15), $"the process tree took {gone.TotalSeconds:0.0} s to go");
        Assert.Equal("cancelled", run.GetProperty("status").GetString());
        Assert.Equal("cancelled", StepStatuses(run)[0]);
    }

}
