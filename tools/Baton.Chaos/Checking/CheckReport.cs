namespace Baton.Chaos.Checking;

/// <summary>One thing the checker found wrong: what it concerns (a run, a plan, a request) and what is wrong with it.</summary>
public sealed record Finding(string Subject, string Detail);

/// <summary>
/// The checker's verdict, in the four categories of Jepsen's queue checker adapted to runs:
/// <list type="bullet">
/// <item><b>lost</b>: never finished: acknowledged to the client, then missing from the store (or a plan missing items),
/// or ended in any state but succeeded (every recipe of the workload succeeds wherever it runs);</item>
/// <item><b>duplicated</b>: more runs than the client sent requests, a plan item run twice by the scheduler,
/// a log line stored twice, or a line of an attempt stored after the reaper fenced it off or after a newer attempt's;</item>
/// <item><b>log gaps</b>: a line number missing from a run's log, or a line a successful attempt printed that was not stored;</item>
/// <item><b>stuck</b>: a run or plan not in a final state when the check ran (the driver checks once all are final,
/// or 60 s after the chaos ended).</item>
/// </list>
/// </summary>
public sealed record CheckReport(
    int Requests,
    int Acknowledged,
    int Indeterminate,
    int Runs,
    IReadOnlyDictionary<string, int> RunsByStatus,
    /// <summary>The reaper's lines that fenced an attempt off (a lease expired): the fencing checks had something to check.</summary>
    int Fences,
    IReadOnlyList<Finding> Lost,
    IReadOnlyList<Finding> Duplicated,
    IReadOnlyList<Finding> LogGaps,
    IReadOnlyList<Finding> Stuck)
{
    public bool Valid => Lost.Count == 0 && Duplicated.Count == 0 && LogGaps.Count == 0 && Stuck.Count == 0;
}
