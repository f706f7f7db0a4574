namespace Baton.Core.Requirements;

public enum RequirementStatus
{
    Proposed,
    Approved,
    Rejected,
    /// <summary>Replaced by a later requirement; kept for the trail.</summary>
    Superseded,
}
