using System.Globalization;
using System.Text.Json;
using Baton.Tests.Support;

namespace Baton.Cli.Tests.Execution;

public sealed class SqliteFaultTests() : FaultTests("sqlite");

public sealed class PostgresFaultTests() : FaultTests("postgres");

/// <summary>
/// Real servers, real agents, real processes, and the faults users of CI systems suffer:
/// agents killed or frozen mid-step, the server killed mid-run.
/// </summary>
public abstract class FaultTests(string provider) : IAsyncLifetime
{
    private ExecutionCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ExecutionCluster.StartAsync(provider);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private static string Label() => "f" + Guid.NewGuid().ToString("N")[..10];

    /// <summary>A step that prints a numbered line every 50 ms for a few seconds.</summary>
    private const string Counting = "steps:\n  - name: count\n    run: for i in $(seq 1 80); do echo \"line $i\"; sleep 0.05; done\n";


    private static void AssertDense(List<JsonElement> lines) =>
        Assert.Equal(Enumerable.Range(1, lines.Count).Select(n => (long)n), lines.Select(l => l.GetProperty("n").GetInt64()));

    [Fact]
    public async Task AnAgentKilledMidStep_LosesTheRun_ThatASecondAgentCompletes_WithAGapFreeLog()
    {
        var label = Label();
        var (project, item) = await _cluster.WorkItemAsync(Counting, label);
        var first = await _cluster.StartAgentAsync("doomed-" + label, label);
        var runId = await _cluster.StartRunAsync(project, item);
        await _cluster.WaitForRunAsync(runId, run => run.GetProperty("logLines").GetInt64() >= 5, "some output");

        await first.KillHardAsync();
        await _cluster.StartAgentAsync("rescuer-" + label, label);
        var done = await _cluster.WaitForStatusAsync(runId, "succeeded");

        Assert.Equal(2, done.GetProperty("attempt").GetInt32());
        Assert.Equal("rescuer-" + label, done.GetProperty("agent").GetString());
        var log = await _cluster.LogAsync(runId);
        AssertDense(log);
        Assert.Contains(log, l => l.GetProperty("stream").GetString() == "system"
            && l.GetProperty("text").GetString()!.Contains("requeued as attempt 2", StringComparison.Ordinal));
        Assert.Equal("line 80", log.Last(l => l.GetProperty("stream").GetString() == "stdout").GetProperty("text").GetString());
    }

    [Fact]
    public async Task AFrozenAgent_PastItsLease_IsFenced_AndKillsItsStepWhenItWakes()
    {
        var label = Label();
        var pidFile = Path.Combine(_cluster.Directory, $"{label}.pid");
        var yaml = $"steps:\n  - name: hang\n    run: echo $$ > {pidFile}; echo started; sleep 300\n";
        // One attempt only: the expired run fails instead of being retried, so nothing else runs it.
        var (project, item) = await _cluster.WorkItemAsync(yaml, label, new { maxRunAttempts = 1 });
        var agent = await _cluster.StartAgentAsync("frozen-" + label, label);
        var runId = await _cluster.StartRunAsync(project, item);
        await _cluster.WaitForRunAsync(runId, run => run.GetProperty("logLines").GetInt64() >= 1, "the step to start");
        var pid = int.Parse((await File.ReadAllTextAsync(pidFile)).Trim(), CultureInfo.InvariantCulture);

        agent.Signal("STOP");
        var failed = await _cluster.WaitForStatusAsync(runId, "failed");
        var linesWhenFenced = failed.GetProperty("logLines").GetInt64();
        agent.Signal("CONT");
        await Eventually.TrueAsync(() => Task.FromResult(!ProcessProbe.Alive(pid)), ExecutionCluster.Deadline, "the fenced agent to kill its step");

        var after = await _cluster.RunAsync(runId);
        Assert.Equal("failed", after.GetProperty("status").GetString());
        Assert.Contains("no attempts left", after.GetProperty("statusReason").GetString());
        Assert.Equal(linesWhenFenced, after.GetProperty("logLines").GetInt64());
        Assert.False(agent.HasExited, "the agent lives on after losing one run");
    }

    [Fact]
    public async Task TheServerKilledMidRun_AndRestarted_TheRunCompletesWithItsWholeLog()
    {
        var label = Label();
        var (project, item) = await _cluster.WorkItemAsync(Counting, label);
        await _cluster.StartAgentAsync("steadfast-" + label, label);
        var runId = await _cluster.StartRunAsync(project, item);
        await _cluster.WaitForRunAsync(runId, run => run.GetProperty("logLines").GetInt64() >= 10, "some output");

        await _cluster.RestartServerHardAsync();
        var done = await _cluster.WaitForStatusAsync(runId, "succeeded");

        Assert.Equal(1, done.GetProperty("attempt").GetInt32());
        var log = await _cluster.LogAsync(runId);
        AssertDense(log);
        Assert.Equal(Enumerable.Range(1, 80).Select(i => $"line {i}"),
            log.Where(l => l.GetProperty("stream").GetString() == "stdout").Select(l => l.GetProperty("text").GetString()));
    }
}
