namespace Baton.Chaos.Checking;

/// <summary>One thing the checker found wrong: what it concerns (a run, a plan, a request) and what is wrong with it.</summary>
public sealed record Finding(string Subject, string Detail);

/// <summary>
/// The checker's verdict, in the four categories of Jepsen's queue checker adapted to runs:
/// <list type="bullet">
/// <item><b>lost</b>: acknowledged to the client, then missing from the store (or a plan missing items);</item>
/// <item><b>duplicated</b>: more runs than the client sent requests, a plan item run twice by the scheduler,
/// a log line stored twice, or a line of a fenced attempt stored after a newer attempt's;</item>
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
    IReadOnlyList<Finding> Lost,
    IReadOnlyList<Finding> Duplicated,
    IReadOnlyList<Finding> LogGaps,
    IReadOnlyList<Finding> Stuck)
{
    public bool Valid => Lost.Count == 0 && Duplicated.Count == 0 && LogGaps.Count == 0 && Stuck.Count == 0;
}
