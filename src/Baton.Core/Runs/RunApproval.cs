using Baton.Core.Access;

namespace Baton.Core.Runs;

public enum ApprovalOutcome
{
    Pending,
    Approved,
    Rejected,
}

/// <summary>What a decision on a run's approval did, or why it was refused.</summary>
public enum ApprovalVote
{
    /// <summary>Counted; more approvals are still needed.</summary>
    Counted,
    /// <summary>This approval completed the required number: the run may be queued.</summary>
    Approved,
    /// <summary>A rejection: the run ends.</summary>
    Rejected,
    /// <summary>The role may not approve runs (needs maintainer or admin).</summary>
    RoleTooWeak,
    /// <summary>The requester may not approve their own run under this policy.</summary>
    SelfApproval,
    /// <summary>This person already decided; one person counts once.</summary>
    AlreadyVoted,
    /// <summary>The approval was already approved or rejected.</summary>
    AlreadyDecided,
    /// <summary>The decision names another recipe than the one the run would execute.</summary>
    RecipeChanged,
}

/// <summary>One person's decision on an approval.</summary>
public sealed record ApprovalDecision(string Actor, bool Approve, string? Comment, DateTimeOffset At);

/// <summary>
/// The gate in front of a run when the project's policy requires approval: N approvals from
/// distinct maintainers or admins, none of them the requester unless the policy allows it; any
/// rejection ends it. It is bound to the recipe hash it was requested for, so an approval can
/// never be carried over to different commands.
/// </summary>
public sealed class RunApproval
{
    private readonly List<ApprovalDecision> _decisions = [];

    private RunApproval() { }

    public RunApproval(long runId, string recipeHash, string requestedBy, int requiredApprovals, bool selfApprovalAllowed,
        DateTimeOffset? expiresAt = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(requiredApprovals, 1);
        RunId = runId;
        RecipeHash = recipeHash;
        RequestedBy = requestedBy;
        RequiredApprovals = requiredApprovals;
        SelfApprovalAllowed = selfApprovalAllowed;
        ExpiresAt = expiresAt;
    }

    public long RunId { get; private set; }
    public string RecipeHash { get; private set; } = "";
    public string RequestedBy { get; private set; } = "";
    public int RequiredApprovals { get; private set; }
    public bool SelfApprovalAllowed { get; private set; }
    /// <summary>+1 per counted decision; two approvers deciding at once cannot both count against the same state.</summary>
    public int Revision { get; private set; }
    public ApprovalOutcome Outcome { get; private set; } = ApprovalOutcome.Pending;
    /// <summary>When a still pending approval is rejected by itself (the project's approval expiry); null: never.</summary>
    public DateTimeOffset? ExpiresAt { get; private set; }
    public IReadOnlyList<ApprovalDecision> Decisions => _decisions;
    public int Approvals => _decisions.Count(d => d.Approve);

    /// <summary>Rejects the approval if it is still pending at its expiry; false when it was decided first or is not due.</summary>
    public bool Expire(DateTimeOffset now)
    {
        if (Outcome != ApprovalOutcome.Pending || ExpiresAt is not { } expiry || expiry > now)
        {
            return false;
        }
        Outcome = ApprovalOutcome.Rejected;
        Revision++;
        return true;
    }

    public ApprovalVote Decide(string actor, Role role, string recipeHash, bool approve, string? comment, DateTimeOffset now)
    {
        if (Outcome != ApprovalOutcome.Pending)
        {
            return ApprovalVote.AlreadyDecided;
        }
        if (!role.Satisfies(Role.Maintainer))
        {
            return ApprovalVote.RoleTooWeak;
        }
        if (!string.Equals(recipeHash, RecipeHash, StringComparison.Ordinal))
        {
            return ApprovalVote.RecipeChanged;
        }
        // Self-approval is refused; a requester may still reject (withdraw) their own run.
        if (approve && !SelfApprovalAllowed && string.Equals(actor, RequestedBy, StringComparison.Ordinal))
        {
            return ApprovalVote.SelfApproval;
        }
        if (_decisions.Any(d => string.Equals(d.Actor, actor, StringComparison.Ordinal)))
        {
            return ApprovalVote.AlreadyVoted;
        }
        _decisions.Add(new ApprovalDecision(actor, approve, comment, now));
        Revision++;
        if (!approve)
        {
            Outcome = ApprovalOutcome.Rejected;
            return ApprovalVote.Rejected;
        }
        if (Approvals >= RequiredApprovals)
        {
            Outcome = ApprovalOutcome.Approved;
            return ApprovalVote.Approved;
        }
        return ApprovalVote.Counted;
    }
}
