namespace Baton.Core.Runs;

/// <summary>
/// One execution of one recipe version of one work item (DESIGN.md section 2). The recipe is
/// snapshotted (YAML, parsed JSON, hash) so editing the work item later never changes what
/// this run executes or what its approval covered. The agent protocol changes the lease
/// columns with conditional updates (see the server's run store); this class owns the
/// transitions people cause.
/// </summary>
public sealed class Run
{
    private Run() { }

    public Run(long projectId, long workItemId, int number, RunTrigger trigger, RunRecipe recipe,
        IReadOnlyList<string> labels, int priority, int maxAttempts, bool approvalRequired, string requestedBy, DateTimeOffset now,
        RunConcurrency? concurrency = null)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        ProjectId = projectId;
        WorkItemId = workItemId;
        Number = number;
        Trigger = trigger;
        RecipeVersion = recipe.Version;
        RecipeHash = recipe.Hash;
        RecipeYaml = recipe.Yaml;
        RecipeJson = recipe.Json;
        Labels = [.. labels];
        Priority = priority;
        MaxAttempts = maxAttempts;
        Attempt = 1;
        RequestedBy = requestedBy;
        CreatedAt = now;
        Status = approvalRequired ? RunStatus.PendingApproval : RunStatus.Queued;
        QueuedAt = approvalRequired ? null : now;
        ConcurrencyGroup = concurrency?.Group;
        ConcurrencyLimit = concurrency?.Limit;
        // Checkpoint: a grouped run is born held, so no agent can claim it before admission counts it against its group.
        Held = concurrency is not null;
    }

    public long Id { get; private set; }
    public long ProjectId { get; private set; }
    public long WorkItemId { get; private set; }
    /// <summary>Numbered per work item, from 1.</summary>
    public int Number { get; private set; }
    public RunTrigger Trigger { get; private set; }
    public int RecipeVersion { get; private set; }
    public string RecipeHash { get; private set; } = "";
    public string RecipeYaml { get; private set; } = "";
    public string RecipeJson { get; private set; } = "";
    /// <summary>An agent must carry every one of these labels to claim the run.</summary>
    public List<string> Labels { get; private set; } = [];
    public int Priority { get; private set; }
    public RunStatus Status { get; private set; }
    /// <summary>The concurrency group of its work item (per project) when the run was made, and that group's limit.</summary>
    public string? ConcurrencyGroup { get; private set; }
    public int? ConcurrencyLimit { get; private set; }
    /// <summary>
    /// Queued but not claimable until its concurrency group has a free slot: admission (a conditional update, highest
    /// priority then oldest first) clears it. Always false outside a group.
    /// </summary>
    public bool Held { get; private set; }
    /// <summary>Why the run is in its status, in words, when that is not obvious (rejected, lease expired, cancelled by).</summary>
    public string? StatusReason { get; private set; }
    /// <summary>1 for the first execution; +1 each time a lost run is requeued.</summary>
    public int Attempt { get; private set; }
    public int MaxAttempts { get; private set; }
    public string RequestedBy { get; private set; } = "";
    public long? AgentId { get; private set; }
    /// <summary>The fencing token: +1 at every claim; a write naming another epoch is refused.</summary>
    public long LeaseEpoch { get; private set; }
    public DateTimeOffset? LeaseExpiresAt { get; private set; }
    /// <summary>
    /// The hash of the job token handed out with the current epoch's claim (set by the claim statement):
    /// the agent's calls about this run carry it, and it stops working when the run ends or is claimed again.
    /// </summary>
    public string? JobTokenHash { get; private set; }
    public bool CancelRequested { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? QueuedAt { get; private set; }
    public DateTimeOffset? StartedAt { get; private set; }
    public DateTimeOffset? FinishedAt { get; private set; }
    public int? ExitCode { get; private set; }
    public string? TraceId { get; private set; }
    /// <summary>The run's own span in that trace, as the agent that executed it reported it.</summary>
    public string? SpanId { get; private set; }
    /// <summary>Last log batch sequence stored for the current epoch (batches are idempotent by it).</summary>
    public long LogSeq { get; private set; }
    /// <summary>Log lines stored: they are numbered 1..LogLines without a gap.</summary>
    public long LogLines { get; private set; }
    public long LogBytes { get; private set; }

    public double? DurationSeconds => StartedAt is { } started && FinishedAt is { } finished ? (finished - started).TotalSeconds : null;

    /// <summary>Cancels a run that has not started; a running run only gets its flag (the agent stops it).</summary>
    public RunCancel Cancel(string actor, DateTimeOffset now)
    {
        if (RunStateMachine.IsFinal(Status))
        {
            return RunCancel.AlreadyFinal;
        }
        if (Status == RunStatus.Running)
        {
            CancelRequested = true;
            StatusReason = $"cancel requested by {actor}";
            return RunCancel.Requested;
        }
        return Move(RunEvent.Cancel, $"cancelled by {actor}", now) ? RunCancel.Cancelled : RunCancel.AlreadyFinal;
    }

    /// <summary>Applies the approval's outcome: approved runs are queued, rejected ones end.</summary>
    public bool ApplyApproval(ApprovalOutcome outcome, string reason, DateTimeOffset now) => outcome switch
    {
        ApprovalOutcome.Approved => Move(RunEvent.Approve, null, now),
        ApprovalOutcome.Rejected => Move(RunEvent.Reject, reason, now),
        _ => false,
    };

    public void UseTrace(string traceId) => TraceId = traceId;

    /// <summary>Mirrors an admission made in the database (callers that answer from memory).</summary>
    public void Admitted() => Held = false;

    private bool Move(RunEvent runEvent, string? reason, DateTimeOffset now)
    {
        if (!RunStateMachine.TryApply(Status, runEvent, out var next))
        {
            return false;
        }
        Status = next;
        StatusReason = reason ?? StatusReason;
        if (next == RunStatus.Queued)
        {
            QueuedAt = now;
        }
        if (RunStateMachine.IsFinal(next))
        {
            FinishedAt = now;
        }
        return true;
    }
}

/// <summary>What started a run.</summary>
public enum RunTrigger
{
    Manual,
    Scheduler,
    Rerun,
    /// <summary>An ad-hoc run of a recipe sent with <c>baton exec</c>.</summary>
    Exec,
}

public enum RunCancel
{
    /// <summary>It had not started: it is cancelled now.</summary>
    Cancelled,
    /// <summary>It is running: its agent is told and stops the processes.</summary>
    Requested,
    AlreadyFinal,
}

/// <summary>A work item's concurrency group: at most <see cref="Limit"/> of the group's runs hold a slot (queued for an agent, running, lost) at once.</summary>
public sealed record RunConcurrency(string Group, int Limit);

/// <summary>The recipe version a run snapshots.</summary>
public sealed record RunRecipe(int Version, string Hash, string Yaml, string Json);
