using Baton.Core.Keys;
using Baton.Core.Projects;
using Baton.Core.Requirements;
using Baton.Core.WorkItems;
using Baton.Persistence;
using Baton.Persistence.Configurations;
using Baton.Server.Features.Plans;
using Baton.Server.Features.Projects;
using Baton.Server.Infrastructure.Audit;
using Baton.Server.Infrastructure.Errors;
using Microsoft.EntityFrameworkCore;

namespace Baton.Server.Features.WorkItems;

/// <summary>Creating and changing work items, with their requirement links and DAG edges.</summary>
public sealed class WorkItemCommands(BatonDbContext db, AuditTrail audit, TimeProvider clock)
{
    public const int MaxLinks = 100;
    public const int MaxConcurrencyLimit = 100;

    public async Task<Outcome<WorkItem>> CreateAsync(string key, CreateWorkItemRequest request, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = Check(request.Title, titleRequired: true, request.Description, request.Requirements, request.DependsOn, request.Labels, request.Priority, request.Concurrency, request.Retry);
        if (errors.Any)
        {
            return errors.ToFailure();
        }
        var project = await db.FindAsync(key, cancellationToken);
        if (project.Value is not { } owner)
        {
            return project.Failure!;
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Takes the project row's lock first: numbering and graph changes of one project queue here.
        await db.Projects.Where(p => p.Id == owner.Id).ExecuteUpdateAsync(set => set
            .SetProperty(p => p.LastWorkItemNumber, p => p.LastWorkItemNumber + 1)
            .SetProperty(p => p.GraphVersion, p => p.GraphVersion + 1), cancellationToken);
        var requirementIds = await ResolveRequirementsAsync(owner.Id, request.Requirements ?? [], cancellationToken);
        var dependencyIds = await ResolveWorkItemsAsync(owner.Id, request.DependsOn ?? [], cancellationToken);
        if ((requirementIds.Failure ?? dependencyIds.Failure) is { } failure)
        {
            return failure;
        }
        var number = await db.Projects.Where(p => p.Id == owner.Id).Select(p => p.LastWorkItemNumber).SingleAsync(cancellationToken);
        var labels = request.Labels is null ? owner.DefaultLabels : Labels.Normalize(request.Labels);
        var item = new WorkItem(owner.Id, number, request.Title.Trim(), request.Description ?? "", labels, request.Priority ?? 0, actor, clock.GetUtcNow());
        if (request.Concurrency is { Group.Length: > 0 } concurrency)
        {
            item.UseConcurrency(concurrency.Group, concurrency.Limit, clock.GetUtcNow());
        }
        if (request.Retry is { } retry)
        {
            item.UseRetry([.. retry.ExitCodes.Distinct()], retry.Attempts, retry.DelaySeconds, clock.GetUtcNow());
        }
        db.WorkItems.Add(item);
        await db.SaveChangesAsync(cancellationToken);
        // A new item has no dependents yet, so its edges cannot close a cycle.
        ReplaceLinks(item.Id, requirementIds.Value!, dependencyIds.Value!);
        audit.Record(actor, "work_item.created", $"project:{key}/{item.Key}");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return item;
    }

    public async Task<Outcome<WorkItem>> UpdateAsync(string key, string itemKey, UpdateWorkItemRequest request, string actor,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = Check(request.Title, titleRequired: false, request.Description, request.Requirements, request.DependsOn, request.Labels, request.Priority, request.Concurrency, request.Retry);
        if (errors.Any)
        {
            return errors.ToFailure();
        }
        var found = await FindAsync(key, itemKey, cancellationToken);
        if (found.Value is not { } item)
        {
            return found.Failure!;
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Projects.Where(p => p.Id == item.ProjectId)
            .ExecuteUpdateAsync(set => set.SetProperty(p => p.GraphVersion, p => p.GraphVersion + 1), cancellationToken);
        Outcome<IReadOnlyList<long>>? requirementIds = request.Requirements is null
            ? default(Outcome<IReadOnlyList<long>>?) : await ResolveRequirementsAsync(item.ProjectId, request.Requirements, cancellationToken);
        Outcome<IReadOnlyList<long>>? dependencyIds = request.DependsOn is null
            ? default(Outcome<IReadOnlyList<long>>?) : await ResolveWorkItemsAsync(item.ProjectId, request.DependsOn, cancellationToken);
        if ((requirementIds?.Failure ?? dependencyIds?.Failure) is { } failure)
        {
            return failure;
        }
        if (dependencyIds?.Value is { } newDependencies && await FindCycleAsync(item, newDependencies, cancellationToken) is { } cycle)
        {
            return Failure.Unprocessable("dependsOn", $"these dependencies would make a cycle: {cycle}");
        }
        item.Update(request.Title?.Trim(), request.Description, request.Labels is null ? null : Labels.Normalize(request.Labels),
            request.Priority, clock.GetUtcNow());
        if (request.Concurrency is { } concurrency)
        {
            item.UseConcurrency(concurrency.Group.Length > 0 ? concurrency.Group : null, concurrency.Limit, clock.GetUtcNow());
        }
        if (request.Retry is { } retry)
        {
            item.UseRetry([.. retry.ExitCodes.Distinct()], retry.Attempts, retry.DelaySeconds, clock.GetUtcNow());
        }
        if (requirementIds?.Value is { } requirements)
        {
            await db.WorkItemRequirements.Where(l => l.WorkItemId == item.Id).ExecuteDeleteAsync(cancellationToken);
            ReplaceLinks(item.Id, requirements, []);
        }
        if (dependencyIds?.Value is { } dependencies)
        {
            await db.WorkItemDependencies.Where(d => d.WorkItemId == item.Id).ExecuteDeleteAsync(cancellationToken);
            ReplaceLinks(item.Id, [], dependencies);
        }
        audit.Record(actor, "work_item.updated", $"project:{key}/{item.Key}");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return item;
    }

    public Task<Outcome<WorkItem>> FindAsync(string key, string itemKey, CancellationToken cancellationToken) =>
        db.FindItemAsync<WorkItem>(key, itemKey, ItemKey.WorkItemPrefix, "work item", cancellationToken);

    private static FieldErrors Check(string? title, bool titleRequired, string? description, IReadOnlyList<string>? requirements,
        IReadOnlyList<string>? dependsOn, IReadOnlyList<string>? labels, int? priority, ConcurrencyDto? concurrency, RetryRuleDto? retry)
    {
        var errors = new FieldErrors();
        if (titleRequired || title is not null)
        {
            errors.RequireText("title", title, Limits.NameLength);
        }
        errors.Limit("description", description, Limits.DescriptionLength);
        if (requirements?.Count > MaxLinks)
        {
            errors.Add("requirements", $"at most {MaxLinks} requirements");
        }
        if (dependsOn?.Count > MaxLinks)
        {
            errors.Add("dependsOn", $"at most {MaxLinks} dependencies");
        }
        Labels.Check(errors, "labels", labels);
        errors.Range("priority", priority, WorkItem.MinPriority, WorkItem.MaxPriority);
        if (concurrency is not null)
        {
            if (concurrency.Group.Length > 0)
            {
                Labels.Check(errors, "concurrency.group", [concurrency.Group]);
            }
            errors.Range("concurrency.limit", concurrency.Limit, 1, MaxConcurrencyLimit);
        }
        RetryRuleDto.Check(errors, "retry", retry);
        return errors;
    }

    /// <summary>Requirement keys to ids; each must exist in the project and be approved (else 422 naming it).</summary>
    private async Task<Outcome<IReadOnlyList<long>>> ResolveRequirementsAsync(long projectId, IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        var numbers = new List<int>();
        foreach (var key in keys.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (!ItemKey.TryParseRequirement(key, out var number))
            {
                return Failure.Unprocessable("requirements", $"'{key}' is not a requirement key (REQ-<number>)");
            }
            numbers.Add(number);
        }
        var found = await db.Requirements.AsNoTracking().Where(r => r.ProjectId == projectId && numbers.Contains(r.Number))
            .Select(r => new { r.Id, r.Number, r.Status }).ToListAsync(cancellationToken);
        foreach (var number in numbers)
        {
            var requirement = found.SingleOrDefault(r => r.Number == number);
            if (requirement is null)
            {
                return Failure.Unprocessable("requirements", $"requirement {ItemKey.Requirement(number)} does not exist in this project");
            }
            if (requirement.Status != RequirementStatus.Approved)
            {
                return Failure.Unprocessable("requirements",
                    $"requirement {ItemKey.Requirement(number)} is {requirement.Status.ToString().ToLowerInvariant()}; only approved requirements can be implemented");
            }
        }
        return found.Select(r => r.Id).ToList();
    }

    /// <summary>Work item keys to ids within the project (else 422 naming the key).</summary>
    private async Task<Outcome<IReadOnlyList<long>>> ResolveWorkItemsAsync(long projectId, IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        var numbers = new List<int>();
        foreach (var key in keys.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (!ItemKey.TryParseWorkItem(key, out var number))
            {
                return Failure.Unprocessable("dependsOn", $"'{key}' is not a work item key (WI-<number>)");
            }
            numbers.Add(number);
        }
        var found = await db.WorkItems.AsNoTracking().Where(w => w.ProjectId == projectId && numbers.Contains(w.Number))
            .Select(w => new { w.Id, w.Number }).ToListAsync(cancellationToken);
        var missing = numbers.Except(found.Select(w => w.Number)).ToList();
        if (missing.Count > 0)
        {
            return Failure.Unprocessable("dependsOn", $"work item {ItemKey.WorkItem(missing[0])} does not exist in this project");
        }
        return found.Select(w => w.Id).ToList();
    }

    /// <summary>The cycle (as "WI-1 -> WI-2 -> WI-1") that the new edges would close, or null.</summary>
    private async Task<string?> FindCycleAsync(WorkItem item, IReadOnlyList<long> newDependencies, CancellationToken cancellationToken)
    {
        var edges = await db.WorkItemDependencies.AsNoTracking()
            .Join(db.WorkItems, d => d.WorkItemId, w => w.Id, (d, w) => new { d.WorkItemId, d.DependsOnId, w.ProjectId })
            .Where(x => x.ProjectId == item.ProjectId && x.WorkItemId != item.Id)
            .Select(x => new { x.WorkItemId, x.DependsOnId })
            .ToListAsync(cancellationToken);
        var graph = edges.GroupBy(e => e.WorkItemId)
            .ToDictionary(g => g.Key, g => (IReadOnlyCollection<long>)g.Select(e => e.DependsOnId).ToList());
        var cycle = DependencyGraph.FindCycle(item.Id, newDependencies, graph);
        if (cycle is null)
        {
            return null;
        }
        var numbers = await db.WorkItems.AsNoTracking().Where(w => cycle.Contains(w.Id))
            .ToDictionaryAsync(w => w.Id, w => w.Number, cancellationToken);
        return string.Join(" -> ", cycle.Select(id => ItemKey.WorkItem(numbers[id])));
    }

    private void ReplaceLinks(long workItemId, IReadOnlyList<long> requirementIds, IReadOnlyList<long> dependencyIds)
    {
        db.WorkItemRequirements.AddRange(requirementIds.Select(id => new WorkItemRequirement { WorkItemId = workItemId, RequirementId = id }));
        db.WorkItemDependencies.AddRange(dependencyIds.Select(id => new WorkItemDependency { WorkItemId = workItemId, DependsOnId = id }));
    }
}
