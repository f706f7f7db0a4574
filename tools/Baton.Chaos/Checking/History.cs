namespace Baton.Chaos.Checking;

/// <summary>What the chaos client asked for: an ad-hoc run of one kind, or a plan of several work items.</summary>
public enum RequestKind
{
    /// <summary>One step running <c>true</c>.</summary>
    OneStep,
    /// <summary>Several steps, each printing numbered lines tagged with the run's attempt.</summary>
    MultiStep,
    /// <summary>A plan over a chain of fresh work items (each depends on the one before).</summary>
    Plan,
}

/// <summary>
/// One request of the client's history: how often it was sent (a send whose answer was lost is sent
/// again, as any client would) and what the server acknowledged, if it did. A request without an
/// acknowledgement is indeterminate: it may or may not have taken effect, so it is never counted lost.
/// </summary>
public sealed record ClientRequest(int Number, RequestKind Kind, int Sends, long? AcknowledgedId, int Items = 1);

/// <summary>
/// One stored log line: its number, the attempt its text says wrote it (null for lines not of the workload's shape), and, for
/// the reaper's line saying an attempt's lease expired, the attempt it fenced off.
/// </summary>
public readonly record struct StoredLine(long Number, int? Attempt, string Text, int? Fences = null);

/// <summary>A run as the database holds it, with every stored line of its log (a number stored twice appears twice).</summary>
public sealed record StoredRun(long Id, int? Request, string Status, int Attempt, long LogLines, long WorkItemId, bool ByScheduler,
    IReadOnlyList<StoredLine> Lines, string? Reason = null);

public sealed record StoredPlanItem(long WorkItemId, string Status, int Retries, long? RunId);

public sealed record StoredPlan(long Id, string Status, IReadOnlyList<StoredPlanItem> Items);

/// <summary>Everything the checker reads: the client's side and the store's side.</summary>
public sealed record History(IReadOnlyList<ClientRequest> Requests, IReadOnlyList<StoredRun> Runs, IReadOnlyList<StoredPlan> Plans);
