using Baton.Core.Projects;
using Baton.Persistence;
using Baton.Persistence.Configurations;
using Baton.Persistence.Storage;
using Baton.Server.Features.Plans;
using Baton.Server.Infrastructure.Audit;
using Baton.Server.Infrastructure.Errors;
using Microsoft.EntityFrameworkCore;

namespace Baton.Server.Features.Projects;

/// <summary>Project state changes, shared by the API and the seeder.</summary>
public sealed class ProjectCommands(BatonDbContext db, AuditTrail audit, TimeProvider clock)
{
    public async Task<Outcome<Project>> CreateAsync(CreateProjectRequest request, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new FieldErrors();
        if (!ProjectKey.IsValid(request.Key))
        {
            errors.Add("key", $"'key' must be {ProjectKey.Rule}");
        }
        errors.RequireText("name", request.Name, Limits.NameLength);
        errors.Limit("description", request.Description, Limits.DescriptionLength);
        CheckPolicy(errors, request.Policy);
        if (errors.Any)
        {
            return errors.ToFailure();
        }
        if (await db.Projects.AnyAsync(p => p.Key == request.Key, cancellationToken))
        {
            return Duplicate(request.Key);
        }
        var policy = request.Policy?.ApplyTo(ProjectPolicy.Default) ?? ProjectPolicy.Default;
        var project = new Project(request.Key, request.Name.Trim(), request.Description ?? "", policy, actor, clock.GetUtcNow());
        db.Projects.Add(project);
        audit.Record(actor, "project.created", $"project:{project.Key}");
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (DbErrors.IsUniqueViolation(exception))
        {
            // Another request created the same key between our check and our insert.
            return Duplicate(request.Key);
        }
        return project;
    }

    public async Task<Outcome<Project>> UpdateAsync(string key, UpdateProjectRequest request, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new FieldErrors();
        if (request.Name is not null)
        {
            errors.RequireText("name", request.Name, Limits.NameLength);
        }
        errors.Limit("description", request.Description, Limits.DescriptionLength);
        CheckPolicy(errors, request.Policy);
        if (errors.Any)
        {
            return errors.ToFailure();
        }
        var found = await db.FindAsync(key, cancellationToken);
        if (found.Value is not { } project)
        {
            return found.Failure!;
        }
        project.Update(request.Name?.Trim(), request.Description, request.Policy?.ApplyTo(project.Policy), clock.GetUtcNow());
        audit.Record(actor, "project.updated", $"project:{key}");
        await db.SaveChangesAsync(cancellationToken);
        return project;
    }

    private static void CheckPolicy(FieldErrors errors, PolicyInput? policy)
    {
        if (policy is null)
        {
            return;
        }
        errors.Range("policy.requiredApprovals", policy.RequiredApprovals, 1, ProjectPolicy.MaxRequiredApprovals);
        errors.Range("policy.maxRunAttempts", policy.MaxRunAttempts, 1, ProjectPolicy.MaxMaxRunAttempts);
        errors.Range("policy.approvalExpiryHours", policy.ApprovalExpiryHours, 0, ProjectPolicy.MaxApprovalExpiryHours);
        Labels.Check(errors, "policy.defaultLabels", policy.DefaultLabels);
        RetryRuleDto.Check(errors, "policy.retry", policy.Retry);
    }

    private static Failure Duplicate(string key) => Failure.Conflict($"a project with key '{key}' already exists");
}
