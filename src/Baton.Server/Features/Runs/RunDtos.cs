using Baton.Contracts.Runs;
using Baton.Core.Runs;

namespace Baton.Server.Features.Runs;

public sealed record CreateRunRequest
{
    /// <summary>Defaults to the work item's priority.</summary>
    public int? Priority { get; init; }
}

public sealed record ApproveRunRequest
{
    public string? Comment { get; init; }
    /// <summary>When given, the approval counts only if the run still executes this recipe.</summary>
    public string? RecipeHash { get; init; }
}

public sealed record RejectRunRequest
{
    public required string Reason { get; init; }
}

public sealed record RunStepDto(int Index, string Name, StepStatus Status, int Attempt, int? ExitCode,
    DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, double? DurationSeconds)
{
    public static RunStepDto From(RunStep step) => new(step.Index, step.Name, step.Status, step.Attempt, step.ExitCode,
        step.StartedAt, step.FinishedAt, step.DurationSeconds);
}

public sealed record ApprovalDto(int Required, int Approvals, bool SelfApprovalAllowed, ApprovalOutcome Outcome,
    IReadOnlyList<ApprovalDecisionDto> Decisions, DateTimeOffset? ExpiresAt)
{
    public static ApprovalDto From(RunApproval approval) => new(approval.RequiredApprovals, approval.Approvals,
        approval.SelfApprovalAllowed, approval.Outcome,
        [.. approval.Decisions.Select(d => new ApprovalDecisionDto(d.Actor, d.Approve ? "approve" : "reject", d.Comment, d.At))],
        approval.ExpiresAt);
}

public sealed record ApprovalDecisionDto(string Actor, string Decision, string? Comment, DateTimeOffset At);

/// <summary>A run as lists show it.</summary>
public sealed record RunSummaryDto(long Id, string Project, string WorkItem, int Number, RunStatus Status, string? StatusReason,
    RunTrigger Trigger, int Attempt, string RecipeHash, string RequestedBy, DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, double? DurationSeconds, int? ExitCode);

/// <summary>A run in full: its steps, where it runs, and while it waits, why.</summary>
public sealed record RunDto
{
    public required long Id { get; init; }
    public required string Project { get; init; }
    public required string WorkItem { get; init; }
    public required int Number { get; init; }
    public required RunStatus Status { get; init; }
    public string? StatusReason { get; init; }
    /// <summary>While the run waits (approval or an agent): why, in words.</summary>
    public string? WaitingReason { get; init; }
    public required RunTrigger Trigger { get; init; }
    public required int Attempt { get; init; }
    public required int MaxAttempts { get; init; }
    public required int RecipeVersion { get; init; }
    public required string RecipeHash { get; init; }
    public required IReadOnlyList<string> Labels { get; init; }
    public required int Priority { get; init; }
    public required string RequestedBy { get; init; }
    public string? Agent { get; init; }
    public required bool CancelRequested { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? QueuedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public double? DurationSeconds { get; init; }
    public int? ExitCode { get; init; }
    public string? TraceId { get; init; }
    public required long LogLines { get; init; }
    public ApprovalDto? Approval { get; init; }
    public required IReadOnlyList<RunStepDto> Steps { get; init; }

    public static RunDto From(Run run, string project, string workItem, string? agent, IReadOnlyList<RunStepDto> steps, RunApproval? approval,
        string? waitingReason)
    {
        ArgumentNullException.ThrowIfNull(run);
        return new RunDto
        {
            Id = run.Id,
            Project = project,
            WorkItem = workItem,
            Number = run.Number,
            Status = run.Status,
            StatusReason = run.StatusReason,
            WaitingReason = waitingReason,
            Trigger = run.Trigger,
            Attempt = run.Attempt,
            MaxAttempts = run.MaxAttempts,
            RecipeVersion = run.RecipeVersion,
            RecipeHash = run.RecipeHash,
            Labels = run.Labels,
            Priority = run.Priority,
            RequestedBy = run.RequestedBy,
            Agent = agent,
            CancelRequested = run.CancelRequested,
            CreatedAt = run.CreatedAt,
            QueuedAt = run.QueuedAt,
            StartedAt = run.StartedAt,
            FinishedAt = run.FinishedAt,
            DurationSeconds = run.DurationSeconds,
            ExitCode = run.ExitCode,
            TraceId = run.TraceId,
            LogLines = run.LogLines,
            Approval = approval is null ? null : ApprovalDto.From(approval),
            Steps = steps,
        };
    }
}
