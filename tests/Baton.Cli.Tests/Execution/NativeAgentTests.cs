using System.Text.Json;
using Baton.Tests.Support;
using Xunit.Abstractions;

namespace Baton.Cli.Tests.Execution;

/// <summary>The published native baton-agent against a real server: the same agent as `baton agent`, without .NET.</summary>
public sealed class NativeAgentTests(NativeAgentBuild build, ITestOutputHelper output) : IClassFixture<NativeAgentBuild>, IAsyncLifetime
{
    private ExecutionCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ExecutionCluster.StartAsync("sqlite");

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task NativeAgent_RunsARecipeWithItsLogs_AndDrainsOnSigterm_ExitingZero()
    {
        output.WriteLine(build.Describe());
        var label = "n" + Guid.NewGuid().ToString("N")[..10];
        var agent = await _cluster.StartNativeAgentAsync(build.Executable, "native-" + label, label, capacity: 2);
        var (project, item) = await _cluster.WorkItemAsync("""
            env: { GREETING: hello }
            steps:
              - name: greet
                run: echo "$GREETING from $WHO"; echo "to stderr" >&2
                env: { WHO: native }
              - name: count
                run: seq 1 3
            """, label);

        var runId = await _cluster.StartRunAsync(project, item);
        var run = await _cluster.WaitForStatusAsync(runId, "succeeded");

        Assert.Equal(["succeeded", "succeeded"], run.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("status").GetString()));
        var log = await _cluster.LogAsync(runId);
        Assert.Equal(Enumerable.Range(1, log.Count).Select(n => (long)n), log.Select(l => l.GetProperty("n").GetInt64()));
        var steps = log.Where(l => l.GetProperty("step").ValueKind == JsonValueKind.Number)
            .Select(l => (l.GetProperty("step").GetInt32(), l.GetProperty("stream").GetString(), l.GetProperty("text").GetString())).ToList();
        Assert.Equal([(0, "stdout", "hello from native"), (0, "stderr", "to stderr"), (1, "stdout", "1"), (1, "stdout", "2"), (1, "stdout", "3")], steps);

        // SIGTERM while a run is in its step: the agent drains (the run finishes) and exits 0.
        var marker = Path.Combine(_cluster.Directory, label + ".started");
        var (drainProject, drainItem) = await _cluster.WorkItemAsync($"steps:\n  - name: slow\n    run: touch {marker}; sleep 2; echo drained\n", label);
        var draining = await _cluster.StartRunAsync(drainProject, drainItem);
        await Eventually.TrueAsync(() => Task.FromResult(File.Exists(marker)), ExecutionCluster.Deadline, "the slow step to start");
        agent.Signal("TERM");

        Assert.Equal(0, await agent.WaitForExitAsync(ExecutionCluster.Deadline));
        await _cluster.WaitForStatusAsync(draining, "succeeded");
        Assert.Contains(await _cluster.LogAsync(draining), l => l.GetProperty("text").GetString() == "drained");
    }
}
