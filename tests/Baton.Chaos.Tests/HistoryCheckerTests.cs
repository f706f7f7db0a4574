using Baton.Chaos.Checking;
using Baton.Chaos.Workload;

namespace Baton.Chaos.Tests;

/// <summary>The checker on histories with planted faults: each fault is found, in its own category, and a sound history passes.</summary>
public sealed class HistoryCheckerTests
{
    private const long WorkItem = 1;

    /// <summary>Every line a successful attempt prints, numbered from <paramref name="first"/>.</summary>
    private static List<StoredLine> Output(int attempt, long first = 1) =>
        [.. Recipes.ExpectedLines(attempt).Select((text, index) => new StoredLine(first + index, attempt, text))];

    private static StoredRun Run(long id, int request, List<StoredLine>? lines = null, string status = "Succeeded", int attempt = 1) =>
        new(id, request, status, attempt, lines?.Count ?? 0, WorkItem, ByScheduler: false, lines ?? []);

    private static StoredRun PlanRun(long id, long workItem) => new(id, null, "Succeeded", 1, 0, workItem, ByScheduler: true, []);

    private static ClientRequest[] Requests() =>
    [
        new(1, RequestKind.OneStep, Sends: 1, AcknowledgedId: 10),
        new(2, RequestKind.MultiStep, Sends: 1, AcknowledgedId: 11),
        new(3, RequestKind.Plan, Sends: 1, AcknowledgedId: 5, Items: 2),
    ];

    private static StoredPlan Plan(string status = "Succeeded", int retries = 0) =>
        new(5, status, [new StoredPlanItem(100, "Succeeded", retries, 12), new StoredPlanItem(101, "Succeeded", 0, 13)]);

    private static History Sound() => new(
        Requests(),
        [Run(10, 1), Run(11, 2, Output(1)), PlanRun(12, 100), PlanRun(13, 101)],
        [Plan()]);

    private static string Describe(CheckReport report) =>
        string.Join("; ", report.Lost.Concat(report.Duplicated).Concat(report.LogGaps).Concat(report.Stuck).Select(f => $"{f.Subject}: {f.Detail}"));

    /// <summary>Only the named category found anything, and it found exactly <paramref name="count"/>.</summary>
    private static void OnlyIn(Func<CheckReport, IReadOnlyList<Finding>> category, History history, int count = 1)
    {
        var report = HistoryChecker.Check(history);
        var all = report.Lost.Count + report.Duplicated.Count + report.LogGaps.Count + report.Stuck.Count;
        Assert.True(category(report).Count == count && all == count, Describe(report));
    }

    [Fact]
    public void ASoundHistory_IsValid()
    {
        var report = HistoryChecker.Check(Sound());

        Assert.True(report.Valid, Describe(report));
        Assert.Equal(3, report.Acknowledged);
        Assert.Equal(4, report.RunsByStatus["Succeeded"]);
    }

    [Fact]
    public void ARetriedRun_WhoseAttemptsEachWroteInTurn_IsValid()
    {
        // Attempt 1 wrote three lines and died; attempt 2 went on from line 4 and printed everything.
        List<StoredLine> lines = [.. Output(1).Take(3), .. Output(2, first: 4)];
        var history = Sound() with { Runs = [Run(10, 1), Run(11, 2, lines, attempt: 2), PlanRun(12, 100), PlanRun(13, 101)] };

        Assert.True(HistoryChecker.Check(history).Valid, Describe(HistoryChecker.Check(history)));
    }

    [Fact]
    public void AnAcknowledgedRunMissingFromTheStore_IsLost()
    {
        OnlyIn(r => r.Lost, Sound() with { Runs = [Run(11, 2, Output(1)), PlanRun(12, 100), PlanRun(13, 101)] });
    }

    [Fact]
    public void AnAcknowledgedPlanMissingOrShort_IsLost()
    {
        OnlyIn(r => r.Lost, Sound() with { Plans = [] , Runs = [Run(10, 1), Run(11, 2, Output(1))] });
        OnlyIn(r => r.Lost, Sound() with
        {
            Plans = [new StoredPlan(5, "Succeeded", [new StoredPlanItem(100, "Succeeded", 0, 12)])],
            Runs = [Run(10, 1), Run(11, 2, Output(1)), PlanRun(12, 100)],
        });
    }

    [Fact]
    public void ARequestNeverAcknowledged_AndNeverStored_IsIndeterminate_NotLost()
    {
        var history = Sound() with { Requests = [.. Requests(), new ClientRequest(4, RequestKind.OneStep, Sends: 40, AcknowledgedId: null)] };

        var report = HistoryChecker.Check(history);

        Assert.True(report.Valid, Describe(report));
        Assert.Equal(1, report.Indeterminate);
    }

    [Fact]
    public void MoreRunsThanSends_AreDuplicated_ButOneRunPerSendIsNot()
    {
        var twice = Sound() with { Runs = [Run(10, 1), Run(14, 1), Run(11, 2, Output(1)), PlanRun(12, 100), PlanRun(13, 101)] };
        OnlyIn(r => r.Duplicated, twice);

        var sentTwice = twice with { Requests = [new ClientRequest(1, RequestKind.OneStep, Sends: 2, AcknowledgedId: 14), .. Requests()[1..]] };
        Assert.True(HistoryChecker.Check(sentTwice).Valid, Describe(HistoryChecker.Check(sentTwice)));
    }

    [Fact]
    public void ALineNumberStoredTwice_IsDuplicated()
    {
        var lines = Output(1);
        lines.Insert(5, lines[4]);
        var run = Run(11, 2, lines) with { LogLines = 15 };
        OnlyIn(r => r.Duplicated, Sound() with { Runs = [Run(10, 1), run, PlanRun(12, 100), PlanRun(13, 101)] });
    }

    [Fact]
    public void AFencedAttemptsLineAfterANewerAttempts_IsDuplicated()
    {
        // Attempt 2 took over at line 4; a line of attempt 1 was still accepted after it.
        List<StoredLine> lines = [.. Output(1).Take(3), .. Output(2, first: 4)];
        lines.Add(new StoredLine(lines.Count + 1, 1, "chaos attempt=1 step=1 line=4"));
        OnlyIn(r => r.Duplicated, Sound() with { Runs = [Run(10, 1), Run(11, 2, lines, attempt: 2), PlanRun(12, 100), PlanRun(13, 101)] });
    }

    [Fact]
    public void AnAttemptsLineStoredAfterTheReaperFencedItOff_IsDuplicated()
    {
        // Attempt 1 wrote three lines; the reaper fenced it off at line 4; a fourth line of attempt 1 was still accepted at 5.
        var fence = new StoredLine(4, null, "lease expired on agent-3 during attempt 1 of 10; requeued as attempt 2", Fences: 1);
        List<StoredLine> lines = [.. Output(1).Take(3), fence, new StoredLine(5, 1, "chaos attempt=1 step=1 line=4"), .. Output(2, first: 6)];
        OnlyIn(r => r.Duplicated, Sound() with { Runs = [Run(10, 1), Run(11, 2, lines, attempt: 2), PlanRun(12, 100), PlanRun(13, 101)] });

        // The same history without the late line is sound.
        lines.RemoveAt(4);
        var renumbered = lines.Select((line, index) => line with { Number = index + 1 }).ToList();
        Assert.True(HistoryChecker.Check(Sound() with { Runs = [Run(10, 1), Run(11, 2, renumbered, attempt: 2), PlanRun(12, 100), PlanRun(13, 101)] }).Valid);
    }

    [Fact]
    public void ARunOrPlanThatEndedOtherwiseThanSucceeded_NeverFinishedItsWork_AndIsLost()
    {
        var failed = Run(10, 1, status: "Failed") with { Reason = "lease expired on agent-2 during attempt 10 of 10; no attempts left" };
        var report = HistoryChecker.Check(Sound() with { Runs = [failed, Run(11, 2, Output(1)), PlanRun(12, 100), PlanRun(13, 101)] });
        Assert.True(report.Lost.Count == 1 && report.Lost[0].Detail.Contains("no attempts left", StringComparison.Ordinal), Describe(report));

        OnlyIn(r => r.Lost, Sound() with { Plans = [Plan(status: "Failed")] });
    }

    [Fact]
    public void TheReapersFenceLine_NamesTheAttemptItFencesOff()
    {
        Assert.Equal(4, Recipes.FencedAttemptOf("lease expired on agent-12 during attempt 4 of 10; requeued as attempt 5"));
        Assert.Equal(10, Recipes.FencedAttemptOf("lease expired on its agent during attempt 10 of 10; no attempts left"));
        Assert.Null(Recipes.FencedAttemptOf("chaos attempt=1 step=1 line=1"));
    }

    [Fact]
    public void APlanItemRunTwiceByTheScheduler_IsDuplicated_UnlessItsRetryRuleMadeTheSecond()
    {
        var twice = Sound() with { Runs = [.. Sound().Runs, PlanRun(14, 100)] };
        OnlyIn(r => r.Duplicated, twice);

        Assert.True(HistoryChecker.Check(twice with { Plans = [Plan(retries: 1)] }).Valid);
    }

    [Fact]
    public void AMissingLineNumber_IsALogGap()
    {
        var lines = Output(1);
        lines.RemoveAt(7);
        var run = Run(11, 2, lines) with { LogLines = 15 };
        OnlyIn(r => r.LogGaps, Sound() with { Runs = [Run(10, 1), run, PlanRun(12, 100), PlanRun(13, 101)] },
            count: 2); // line 8 missing, and the successful attempt's output not whole
    }

    [Fact]
    public void LinesCountedButNeverStored_AreALogGap()
    {
        var run = Run(10, 1) with { LogLines = 3 };
        OnlyIn(r => r.LogGaps, Sound() with { Runs = [run, Run(11, 2, Output(1)), PlanRun(12, 100), PlanRun(13, 101)] });
    }

    [Fact]
    public void ASuccessfulAttemptWhoseOutputIsNotWhole_IsALogGap_EvenWithDenseNumbers()
    {
        // Dense numbers, but the last step's last line of the final attempt is not there.
        var lines = Output(1)[..^1];
        OnlyIn(r => r.LogGaps, Sound() with { Runs = [Run(10, 1), Run(11, 2, lines), PlanRun(12, 100), PlanRun(13, 101)] });
    }

    [Fact]
    public void ARunOrPlanNotFinal_IsStuck()
    {
        OnlyIn(r => r.Stuck, Sound() with { Runs = [Run(10, 1, status: "Running"), Run(11, 2, Output(1)), PlanRun(12, 100), PlanRun(13, 101)] });
        OnlyIn(r => r.Stuck, Sound() with { Plans = [Plan(status: "Running")] });
    }

    [Fact]
    public void TheWorkloadsRecipes_CarryWhatTheCheckerReadsBack()
    {
        Assert.Equal(42, Recipes.RequestOf(Recipes.For(RequestKind.MultiStep, 42)));
        Assert.Equal(7, Recipes.RequestOf(Recipes.For(RequestKind.OneStep, 7)));
        Assert.Null(Recipes.RequestOf(Recipes.PlanItem));
        Assert.Equal(3, Recipes.AttemptOf("chaos attempt=3 step=2 line=5"));
        Assert.Null(Recipes.AttemptOf("some other line"));
    }
}
