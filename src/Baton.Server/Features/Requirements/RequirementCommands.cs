using Baton.Core.Keys;
using Baton.Core.Projects;
using Baton.Core.Requirements;
using Baton.Persistence;
using Baton.Persistence.Configurations;
using Baton.Server.Features.Projects;
using Baton.Server.Infrastructure.Audit;
using Baton.Server.Infrastructure.Errors;
using Microsoft.EntityFrameworkCore;

namespace Baton.Server.Features.Requirements;

/// <summary>Proposing and deciding requirements, shared by the API and the seeder.</summary>
public sealed class RequirementCommands(BatonDbContext db, AuditTrail audit, TimeProvider clock)
{
    public const int MaxCriteria = 50;
    public const int CriterionLength = 1_000;

    public async Task<Outcome<Requirement>> ProposeAsync(string key, ProposeRequirementRequest request, string actor,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new FieldErrors();
        errors.RequireText("title", request.Title, Limits.NameLength);
        errors.Limit("description", request.Description, Limits.DescriptionLength);
        var criteria = request.AcceptanceCriteria ?? [];
        if (criteria.Count > MaxCriteria)
        {
            errors.Add("acceptanceCriteria", $"at most {MaxCriteria} acceptance criteria");
        }
        for (var i = 0; i < criteria.Count; i++)
        {
            errors.RequireText($"acceptanceCriteria[{i}]", criteria[i], CriterionLength);
        }
        if (errors.Any)
        {
            return errors.ToFailure();
        }
        var project = await db.FindIdAsync(key, cancellationToken);
        if (project.Failure is { } failure)
        {
            return failure;
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var number = await NextNumberAsync(project.Value, cancellationToken);
        var vision = await db.VisionVersions.Where(v => v.ProjectId == project.Value).MaxAsync(v => (int?)v.Version, cancellationToken);
        var requirement = new Requirement(project.Value, number, request.Title.Trim(), request.Description ?? "",
            [.. criteria.Select(c => c.Trim())], vision, actor, clock.GetUtcNow());
        db.Requirements.Add(requirement);
        audit.Record(actor, "requirement.proposed", $"project:{key}/{requirement.Key}");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return requirement;
    }

    public async Task<Outcome<Requirement>> DecideAsync(string key, string requirementKey, RequirementDecision decision,
        string? reason, string actor, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var reasonField = decision == RequirementDecision.Reject ? "reason" : "comment";
        if (decision == RequirementDecision.Reject)
        {
            errors.RequireText(reasonField, reason, Limits.ReasonLength);
        }
        errors.Limit(reasonField, reason, Limits.ReasonLength);
        if (errors.Any)
        {
            return errors.ToFailure();
        }
        var found = await FindAsync(key, requirementKey, cancellationToken);
        if (found.Value is not { } requirement)
        {
            return found.Failure!;
        }
        if (!requirement.TryDecide(decision, actor, string.IsNullOrWhiteSpace(reason) ? null : reason.Trim(), clock.GetUtcNow()))
        {
            return AlreadyDecided(requirement);
        }
        audit.Record(actor, decision == RequirementDecision.Approve ? "requirement.approved" : "requirement.rejected",
            $"project:{key}/{requirement.Key}", requirement.DecisionReason);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Status is a concurrency token: someone else decided between our read and our write.
            return Failure.Conflict($"{requirement.Key} was decided by someone else at the same moment");
        }
        return requirement;
    }

    public Task<Outcome<Requirement>> FindAsync(string key, string requirementKey, CancellationToken cancellationToken) =>
        db.FindItemAsync<Requirement>(key, requirementKey, ItemKey.RequirementPrefix, "requirement", cancellationToken);

    /// <summary>
    /// Hands out the next REQ number inside the caller's transaction. The UPDATE takes the
    /// project row's write lock first, so concurrent proposals queue here and never share a number.
    /// </summary>
    private async Task<int> NextNumberAsync(long projectId, CancellationToken cancellationToken)
    {
        await db.Projects.Where(p => p.Id == projectId)
            .ExecuteUpdateAsync(set => set.SetProperty(p => p.LastRequirementNumber, p => p.LastRequirementNumber + 1), cancellationToken);
        return await db.Projects.Where(p => p.Id == projectId).Select(p => p.LastRequirementNumber).SingleAsync(cancellationToken);
    }

    private static Failure AlreadyDecided(Requirement requirement) => Failure.Conflict(
        $"{requirement.Key} was already {requirement.Status.ToString().ToLowerInvariant()} by {requirement.DecidedBy} at {requirement.DecidedAt:u}");
}
