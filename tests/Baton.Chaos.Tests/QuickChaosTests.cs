using Xunit.Abstractions;
using Baton.Chaos.Faults;

namespace Baton.Chaos.Tests;

/// <summary>
/// The cut-down chaos run of `make test`: 1,000 runs on three replicas behind the front, one replica
/// killed, one agent killed and PostgreSQL crashed once, on a PostgreSQL cluster of its own (it is
/// restarted, so never the shared test server). Fails, never skips, where PostgreSQL is missing.
/// </summary>
public sealed class QuickChaosTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ThousandRuns_ThroughOneKillOfEachKind_LoseNothing_DuplicateNothing_LeaveNoGap_AndNoneStuck()
    {
        var work = Directory.CreateTempSubdirectory("baton-chaos-test-").FullName;
        using var progress = new StringWriter();

        var result = await ChaosRun.RunAsync(ChaosOptions.Quick, Path.Combine(AppContext.BaseDirectory, "baton.dll"), work, progress,
            CancellationToken.None);

        ChaosSummary.Write(result, progress);
        output.WriteLine(progress.ToString());
        Assert.True(result.Check.Valid, $"{progress}\nlogs: {work}");
        Assert.True(result.Check.Runs >= ChaosOptions.Quick.Runs, progress.ToString());
        Assert.All(Enum.GetValues<FaultKind>(), kind => Assert.Contains(result.Faults, fault => fault.Kind == kind && fault.RecoverySeconds is not null));
        // With PostgreSQL down, every replica still up says so on its readiness probe.
        var postgres = Assert.Single(result.Faults, fault => fault.Kind == FaultKind.PostgresRestart);
        Assert.Contains($"{ChaosOptions.Quick.Replicas} of {ChaosOptions.Quick.Replicas}", postgres.Note, StringComparison.Ordinal);
        // The killed agent held a run: the reaper fenced it off, and the checker read that line (its fencing checks had work).
        var agent = Assert.Single(result.Faults, fault => fault.Kind == FaultKind.AgentKill);
        if (agent.Note?.StartsWith("held 0 ", StringComparison.Ordinal) == false)
        {
            Assert.True(result.Check.Fences >= 1, progress.ToString());
        }
        Directory.Delete(work, recursive: true);
    }
}
