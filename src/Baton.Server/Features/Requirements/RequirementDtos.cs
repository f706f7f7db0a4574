using Baton.Core.Requirements;

namespace Baton.Server.Features.Requirements;

public sealed record ProposeRequirementRequest
{
    public required string Title { get; init; }
    public string? Description { get; init; }
    public IReadOnlyList<string>? AcceptanceCriteria { get; init; }
}

public sealed record ApproveRequirementRequest
{
    public string? Comment { get; init; }
}

public sealed record RejectRequirementRequest
{
    public required string Reason { get; init; }
}

public sealed record RequirementDto(
    string Key, string Title, string Description, IReadOnlyList<string> AcceptanceCriteria, RequirementStatus Status,
    int? VisionVersion, string ProposedBy, DateTimeOffset ProposedAt,
    string? DecidedBy, DateTimeOffset? DecidedAt, string? DecisionReason)
{
    public static RequirementDto From(Requirement requirement) => new(
        requirement.Key, requirement.Title, requirement.Description, requirement.AcceptanceCriteria, requirement.Status,
        requirement.VisionVersion, requirement.ProposedBy, requirement.ProposedAt,
        requirement.DecidedBy, requirement.DecidedAt, requirement.DecisionReason);
}
