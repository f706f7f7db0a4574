using Baton.Core.Keys;

namespace Baton.Core.Requirements;

/// <summary>
/// A requirement proposed against a project's vision and decided by a person.
/// proposed -> approved | rejected; a decided requirement is never decided again.
/// </summary>
public sealed class Requirement : IProjectItem
{
    private Requirement() { }

    public Requirement(long projectId, int number, string title, string description,
        IReadOnlyList<string> acceptanceCriteria, int? visionVersion, string proposedBy, DateTimeOffset proposedAt)
    {
        ProjectId = projectId;
        Number = number;
        Title = title;
        Description = description;
        AcceptanceCriteria = [.. acceptanceCriteria];
        VisionVersion = visionVersion;
        ProposedBy = proposedBy;
        ProposedAt = proposedAt;
        Status = RequirementStatus.Proposed;
    }

    public long Id { get; private set; }
    public long ProjectId { get; private set; }
    public int Number { get; private set; }
    public string Key => ItemKey.Requirement(Number);
    public string Title { get; private set; } = "";
    public string Description { get; private set; } = "";
    public List<string> AcceptanceCriteria { get; private set; } = [];
    public RequirementStatus Status { get; private set; }
    /// <summary>The vision version that was current when it was proposed (null: no vision yet).</summary>
    public int? VisionVersion { get; private set; }
    public string ProposedBy { get; private set; } = "";
    public DateTimeOffset ProposedAt { get; private set; }
    public string? DecidedBy { get; private set; }
    public DateTimeOffset? DecidedAt { get; private set; }
    /// <summary>The approver's comment or the rejecter's reason.</summary>
    public string? DecisionReason { get; private set; }

    public bool IsDecided => Status != RequirementStatus.Proposed;

    /// <summary>Records a decision; false when the requirement was already decided.</summary>
    public bool TryDecide(RequirementDecision decision, string decidedBy, string? reason, DateTimeOffset now)
    {
        if (IsDecided)
        {
            return false;
        }
        Status = decision == RequirementDecision.Approve ? RequirementStatus.Approved : RequirementStatus.Rejected;
        DecidedBy = decidedBy;
        DecidedAt = now;
        DecisionReason = reason;
        return true;
    }
}

public enum RequirementDecision
{
    Approve,
    Reject,
}
