using System.Text.Json;
using Baton.Contracts.Json;
using Baton.Contracts.Recipes;
using Baton.Core.Keys;
using Baton.Core.Plans;
using Baton.Core.Runs;
using Baton.Core.WorkItems;
using Baton.Persistence;
using Baton.Persistence.Queries;
using Baton.Persistence.Storage;
using Baton.Server.Features.WorkItems;
using Baton.Server.Infrastructure.Audit;
using Baton.Server.Infrastructure.Errors;
using Baton.Server.Infrastructure.Signals;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Baton.Server.Features.Runs;

/// <summary>
/// Makes runs: snapshots a work item's current recipe into a new run, queued or waiting for
/// approval per its project's policy. People start runs by key; the scheduler, which has read
/// everything a run copies in the query that found its due items, hands over a <see cref="RunSource"/>.
/// </summary>
public sealed class RunCreator(BatonDbContext db, WorkItemCommands workItems, ConcurrencyGroups groups, WaitingReasons waiting, AuditTrail audit,
    RunSignals signals, WriteGate gate, TimeProvider clock)
{
    public async Task<Outcome<CreatedRun>> CreateAsync(string key, string workItemKey, CreateRunRequest request, string actor,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new FieldErrors();
        errors.Range("priority", request.Priority, WorkItem.MinPriority, WorkItem.MaxPriority);
        if (errors.Any)
        {
            return errors.ToFailure();
        }
        // One transaction from the first read: on PostgreSQL a statement outside one is a transaction (a commit) of its
        // own, and reading the work item, its recipe and the agents cost five more commits per run than writing it.
        return await InTransactionAsync(async transaction =>
        {
            if (await KeyedSourceAsync(key, workItemKey, cancellationToken) is not { } source)
            {
                return await WhyNoSourceAsync(key, workItemKey, cancellationToken);
            }
            var order = new RunOrder(source, RunTrigger.Manual, request.Priority ?? source.WorkItemPriority, actor);
            // Asked before the run is written, while the transaction holds no lock yet. A grouped run's reason depends on its
            // admission, after the commit, and one waiting for approval is answered from the approval.
            var reason = source.Concurrency is null && !source.RunApprovalRequired
                ? await waiting.ForAgentsAsync(source.Labels.Count > 0 ? source.Labels : source.DefaultLabels, 0, cancellationToken)
                : null;
            var inserted = await InsertInAsync(transaction, order, cancellationToken);
            return reason is not null && inserted.Value is { } run ? run with { WaitingReason = reason, Explained = true } : inserted;
        }, cancellationToken);
    }

    /// <summary>
    /// The source of a run a person starts by keys, in one statement (a project read, then its work item, then the recipe
    /// were three); null when any of them is missing, which <see cref="WhyNoSourceAsync"/> then names.
    /// </summary>
    private async Task<RunSource?> KeyedSourceAsync(string key, string workItemKey, CancellationToken cancellationToken) =>
        ItemKey.TryParse(workItemKey, ItemKey.WorkItemPrefix, out var number)
            ? await SourceQuery.For(db)(db, null, key, number).FirstOrDefaultAsync(cancellationToken)
            : null;

    /// <summary>Why no run can be made of these keys: no such project or work item (404), or no recipe yet (409).</summary>
    private async Task<Failure> WhyNoSourceAsync(string key, string workItemKey, CancellationToken cancellationToken)
    {
        var found = await workItems.FindAsync(key, workItemKey, cancellationToken);
        return found.Value is { } workItem
            ? Failure.Conflict($"{workItem.Key} has no recipe yet: PUT /api/projects/{key}/work-items/{workItem.Key}/recipe first")
            : found.Failure!;
    }

    /// <summary>What a new run of the work item copies from it, its project and its current recipe; null without a recipe.</summary>
    public async Task<RunSource?> SourceAsync(long workItemId, CancellationToken cancellationToken) =>
        await SourceQuery.For(db)(db, workItemId, null, 0).FirstOrDefaultAsync(cancellationToken);

    /// <summary>
    /// Compiled once: the scheduler reads a source for every run it starts, and a person's start reads one. The work item is
    /// found by its id, or by its project's key and its number; EF Core writes the SQL once per nullness of the two, so each
    /// form is a plain indexed lookup.
    /// </summary>
    private static readonly CompiledQuery<Func<BatonDbContext, long?, string?, int, IAsyncEnumerable<RunSource>>> SourceQuery = new(() => EF.CompileAsyncQuery(
        (BatonDbContext db, long? workItemId, string? projectKey, int number) =>
            from w in db.WorkItems.AsNoTracking()
            join p in db.Projects on w.ProjectId equals p.Id
            where (workItemId == null || w.Id == workItemId) && (projectKey == null || (p.Key == projectKey && w.Number == number))
            join r in db.RecipeVersions on new { WorkItem = w.Id, Version = w.RecipeVersion } equals new { WorkItem = r.WorkItemId, Version = (int?)r.Version }
            select new RunSource
            {
                ProjectId = p.Id,
                ProjectKey = p.Key,
                RunApprovalRequired = p.RunApprovalRequired,
                RequiredApprovals = p.RequiredApprovals,
                SelfApprovalAllowed = p.SelfApprovalAllowed,
                ApprovalExpiryHours = p.ApprovalExpiryHours,
                DefaultLabels = p.DefaultLabels,
                MaxRunAttempts = p.MaxRunAttempts,
                WorkItemId = w.Id,
                WorkItemNumber = w.Number,
                WorkItemPriority = w.Priority,
                Labels = w.Labels,
                ConcurrencyGroup = w.ConcurrencyGroup,
                ConcurrencyLimit = w.ConcurrencyLimit,
                RecipeVersion = r.Version,
                RecipeHash = r.ContentHash,
                RecipeYaml = r.Yaml,
                RecipeJson = r.ParsedJson,
            }));

    /// <summary>Inserts the run with its steps, its approval when the policy needs one, and an audit event, in one transaction.</summary>
    /// <remarks>
    /// With <see cref="RunOrder.PlanItemId"/> the plan item is moved from ready to started, naming this run, in the same
    /// transaction; when another scheduler took it first nothing is created (409), so two replicas never start the same plan item twice.
    /// With <see cref="RunOrder.CarryApprovalFrom"/> (a rerun) the earlier run's approval counts when it was given for the same recipe hash.
    /// </remarks>
    public Task<Outcome<CreatedRun>> InsertAsync(RunOrder order, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        return InTransactionAsync(transaction => InsertInAsync(transaction, order, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction behind the write gate and commits what it made; then tells the agents
    /// and admits the run to its concurrency group. A failure commits nothing.
    /// </summary>
    private async Task<Outcome<CreatedRun>> InTransactionAsync(Func<IDbContextTransaction, Task<Outcome<CreatedRun>>> work,
        CancellationToken cancellationToken)
    {
        CreatedRun created;
        using (await gate.EnterAsync(cancellationToken))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var made = await work(transaction);
            if (made.Value is not { } run)
            {
                return made;
            }
            await transaction.CommitAsync(cancellationToken);
            RunCommands.Announce(signals, run.Run);
            created = run;
        }
        await AdmitAsync(created, cancellationToken);
        return created;
    }

    /// <summary>The writes of <see cref="InsertAsync"/>, inside the caller's transaction (rolled back here when a plan item was taken).</summary>
    private async Task<Outcome<CreatedRun>> InsertInAsync(IDbContextTransaction transaction, RunOrder order, CancellationToken cancellationToken)
    {
        var source = order.Source;
        var spec = JsonSerializer.Deserialize<RecipeSpec>(source.RecipeJson, BatonJson.Options)!;
        var carried = source.RunApprovalRequired && order.CarryApprovalFrom is { } previous
            && await db.RunApprovals.AnyAsync(a => a.RunId == previous && a.Outcome == ApprovalOutcome.Approved && a.RecipeHash == source.RecipeHash,
                cancellationToken);
        var approvalRequired = source.RunApprovalRequired && !carried;
        var now = clock.GetUtcNow();
        var number = await NextRunNumberAsync(source.WorkItemId, cancellationToken);
        var run = new Run(source.ProjectId, source.WorkItemId, number, order.Trigger,
            new RunRecipe(source.RecipeVersion, source.RecipeHash, source.RecipeYaml, source.RecipeJson),
            source.Labels.Count > 0 ? source.Labels : source.DefaultLabels,
            order.Priority, source.MaxRunAttempts, approvalRequired, order.Actor, now, source.Concurrency);
        run.UseTrace(System.Diagnostics.ActivityTraceId.CreateRandom().ToHexString());
        db.Runs.Add(run);
        await db.SaveChangesAsync(cancellationToken);
        // Checkpoint: the run exists only inside this transaction; the plan item's claim below decides whether it stays.
        if (order.PlanItemId is { } itemId && await db.PlanItems.Where(i => i.Id == itemId && i.Status == PlanItemStatus.Ready)
                .ExecuteUpdateAsync(set => set.SetProperty(i => i.Status, PlanItemStatus.Started).SetProperty(i => i.RunId, run.Id),
                    cancellationToken) == 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            return Failure.Conflict($"plan item {itemId} was started already");
        }
        var steps = spec.Steps.Select((step, index) => new RunStep(run.Id, index, step.Name)).ToList();
        db.RunSteps.AddRange(steps);
        var approval = approvalRequired
            ? new RunApproval(run.Id, run.RecipeHash, order.Actor, source.RequiredApprovals, source.SelfApprovalAllowed,
                source.ApprovalExpiryHours is { } hours ? now.AddHours(hours) : null)
            : null;
        if (approval is not null)
        {
            db.RunApprovals.Add(approval);
        }
        var workItem = ItemKey.WorkItem(source.WorkItemNumber);
        audit.Record(order.Actor, "run.created", RunCommands.Subject(run), $"{source.ProjectKey}/{workItem} #{number}, recipe {run.RecipeHash}, {run.Status}"
            + (carried ? $", approval carried over from run {order.CarryApprovalFrom} (same recipe)" : ""));
        await db.SaveChangesAsync(cancellationToken);
        return new CreatedRun(run, source.ProjectKey, workItem, steps, approval);
    }

    /// <summary>Checkpoint: a grouped run is stored held; if the server dies before admission, the next scheduler pass admits it.</summary>
    private async Task AdmitAsync(CreatedRun created, CancellationToken cancellationToken)
    {
        if (created.Run.Status == RunStatus.Queued && (await groups.AdmitAsync(created.Run.ProjectId, created.Run.ConcurrencyGroup, cancellationToken))
                .Contains(created.Run.Id))
        {
            created.Run.Admitted();
        }
    }

    /// <summary>Hands out the next run number of the work item inside the caller's transaction (the UPDATE serializes creators).</summary>
    private async Task<int> NextRunNumberAsync(long workItemId, CancellationToken cancellationToken) =>
        (await db.Database.SqlQuery<int>(
                $"UPDATE work_items SET last_run_number = last_run_number + 1 WHERE id = {workItemId} RETURNING last_run_number AS \"Value\"")
            .ToListAsync(cancellationToken)).Single();
}

/// <summary>Everything a new run copies, read before the creating transaction.</summary>
public sealed record RunSource
{
    public required long ProjectId { get; init; }
    public required string ProjectKey { get; init; }
    public required bool RunApprovalRequired { get; init; }
    public required int RequiredApprovals { get; init; }
    public required bool SelfApprovalAllowed { get; init; }
    public int? ApprovalExpiryHours { get; init; }
    public required IReadOnlyList<string> DefaultLabels { get; init; }
    public required int MaxRunAttempts { get; init; }
    public required long WorkItemId { get; init; }
    public required int WorkItemNumber { get; init; }
    /// <summary>The work item's own priority: a run started without one gets it.</summary>
    public int WorkItemPriority { get; init; }
    public required IReadOnlyList<string> Labels { get; init; }
    public string? ConcurrencyGroup { get; init; }
    public int? ConcurrencyLimit { get; init; }
    public required int RecipeVersion { get; init; }
    public required string RecipeHash { get; init; }
    public required string RecipeYaml { get; init; }
    public required string RecipeJson { get; init; }

    public RunConcurrency? Concurrency => ConcurrencyGroup is { } group ? new(group, ConcurrencyLimit ?? 1) : null;
}

/// <summary>A run to make: from where, why, how urgent, for whom; and for the scheduler, the plan item it starts.</summary>
public sealed record RunOrder(RunSource Source, RunTrigger Trigger, int Priority, string Actor, long? PlanItemId = null, long? CarryApprovalFrom = null);

/// <summary>A new run with what was created alongside it, so callers can answer without reading it back.</summary>
/// <param name="WaitingReason">Why it waits, when <paramref name="Explained"/> (worked out inside the creating transaction).</param>
public sealed record CreatedRun(Run Run, string Project, string WorkItem, IReadOnlyList<RunStep> Steps, RunApproval? Approval,
    string? WaitingReason = null, bool Explained = false);
