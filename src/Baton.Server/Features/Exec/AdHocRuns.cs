using System.Text.Json;
using Baton.Contracts.Json;
using Baton.Contracts.Recipes;
using Baton.Core.Recipes;
using Baton.Core.Runs;
using Baton.Core.WorkItems;
using Baton.Persistence;
using Baton.Persistence.Storage;
using Baton.Server.Features.Projects;
using Baton.Server.Features.Runs;
using Baton.Server.Infrastructure.Errors;
using Microsoft.EntityFrameworkCore;

namespace Baton.Server.Features.Exec;

/// <summary>
/// Ad-hoc runs (<c>baton exec</c>): a recipe sent as it is, run once under a project's policy, secrets and
/// labels, without becoming a work item's recipe. The run belongs to the project's ad-hoc work item
/// (<see cref="WorkItem.AdHocNumber"/>), made on first use, and carries the recipe itself as version 0.
/// </summary>
public sealed class AdHocRuns(BatonDbContext db, RunCreator creator, TimeProvider clock)
{
    public async Task<Outcome<CreatedRun>> StartAsync(string key, string yaml, RecipeSpec recipe, IReadOnlyList<string>? labels, int? priority,
        string actor, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        Labels.Check(errors, "label", labels);
        errors.Range("priority", priority, WorkItem.MinPriority, WorkItem.MaxPriority);
        if (errors.Any)
        {
            return errors.ToFailure();
        }
        var found = await db.FindAsync(key, cancellationToken);
        if (found.Value is not { } project)
        {
            return found.Failure!;
        }
        var item = await AdHocItemAsync(project.Id, actor, cancellationToken);
        var source = new RunSource
        {
            ProjectId = project.Id,
            ProjectKey = project.Key,
            RunApprovalRequired = project.RunApprovalRequired,
            RequiredApprovals = project.RequiredApprovals,
            SelfApprovalAllowed = project.SelfApprovalAllowed,
            ApprovalExpiryHours = project.ApprovalExpiryHours,
            DefaultLabels = project.DefaultLabels,
            MaxRunAttempts = project.MaxRunAttempts,
            WorkItemId = item.Id,
            WorkItemNumber = item.Number,
            Labels = labels is { Count: > 0 } ? Labels.Normalize(labels) : [],
            RecipeVersion = 0,
            RecipeHash = RecipeHash.Compute(yaml),
            RecipeYaml = yaml,
            RecipeJson = JsonSerializer.Serialize(recipe, BatonJson.Options),
        };
        return await creator.InsertAsync(new RunOrder(source, RunTrigger.Exec, priority ?? 0, actor), cancellationToken);
    }

    /// <summary>The project's ad-hoc work item; two first uses at once both end with the one the unique (project, number) index kept.</summary>
    private async Task<WorkItem> AdHocItemAsync(long projectId, string actor, CancellationToken cancellationToken)
    {
        if (await FindAdHocAsync(projectId, cancellationToken) is { } existing)
        {
            return existing;
        }
        var item = WorkItem.AdHoc(projectId, actor, clock.GetUtcNow());
        db.WorkItems.Add(item);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return item;
        }
        catch (DbUpdateException exception) when (DbErrors.IsUniqueViolation(exception))
        {
            db.Entry(item).State = EntityState.Detached;
            return (await FindAdHocAsync(projectId, cancellationToken))!;
        }
    }

    private Task<WorkItem?> FindAdHocAsync(long projectId, CancellationToken cancellationToken) =>
        db.WorkItems.AsNoTracking().SingleOrDefaultAsync(w => w.ProjectId == projectId && w.Number == WorkItem.AdHocNumber, cancellationToken);
}
