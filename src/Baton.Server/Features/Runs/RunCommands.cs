using System.Text.Json;
using Baton.Contracts.Json;
using Baton.Contracts.Recipes;
using Baton.Core.Access;
using Baton.Core.Plans;
using Baton.Core.Runs;
using Baton.Core.WorkItems;
using Baton.Persistence;
using Baton.Persistence.Configurations;
using Baton.Persistence.Storage;
using Baton.Server.Features.WorkItems;
using Baton.Server.Infrastructure.Audit;
using Baton.Server.Infrastructure.Errors;
using Baton.Server.Infrastructure.Signals;
using Microsoft.EntityFrameworkCore;

namespace Baton.Server.Features.Runs;

/// <summary>What people do to runs: start one, cancel it, approve or reject it.</summary>
public sealed class RunCommands(BatonDbContext db, WorkItemCommands workItems, AuditTrail audit, RunSignals signals, WriteGate gate,
    TimeProvider clock)
{
    /// <summary>Snapshots the work item's current recipe into a new run, queued or waiting for approval per the project's policy.</summary>
    /// <param name="planItemId">
    /// The plan item this run is for (the scheduler): it is moved from ready to started in the same transaction, and when
    /// another scheduler took it first nothing is created (409), so two replicas never start the same plan item twice.
    /// </param>
    /// <param name="carryApprovalFrom">A run this one repeats (rerun-failed): its approval counts for this run when it was approved for the same recipe hash.</param>
    public async Task<Outcome<CreatedRun>> CreateAsync(string key, string workItemKey, CreateRunRequest request, RunTrigger trigger, string actor,
        CancellationToken cancellationToken, long? planItemId = null, long? carryApprovalFrom = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new FieldErrors();
        errors.Range("priority", request.Priority, WorkItem.MinPriority, WorkItem.MaxPriority);
        if (errors.Any)
        {
            return errors.ToFailure();
        }
        var found = await workItems.FindAsync(key, workItemKey, cancellationToken);
        if (found.Value is not { } workItem)
        {
            return found.Failure!;
        }
        if (workItem.RecipeVersion is not { } recipeVersion)
        {
            return Failure.Conflict($"{workItem.Key} has no recipe yet: PUT /api/projects/{key}/work-items/{workItem.Key}/recipe first");
        }
        var recipe = await db.RecipeVersions.AsNoTracking()
            .SingleAsync(r => r.WorkItemId == workItem.Id && r.Version == recipeVersion, cancellationToken);
        var project = await db.Projects.AsNoTracking().SingleAsync(p => p.Id == workItem.ProjectId, cancellationToken);
        var spec = JsonSerializer.Deserialize<RecipeSpec>(recipe.ParsedJson, BatonJson.Options)!;
        var policy = project.Policy;
        var now = clock.GetUtcNow();
        var carried = policy.RunApprovalRequired && carryApprovalFrom is { } previous
            && await db.RunApprovals.AnyAsync(a => a.RunId == previous && a.Outcome == ApprovalOutcome.Approved && a.RecipeHash == recipe.ContentHash,
                cancellationToken);
        var approvalRequired = policy.RunApprovalRequired && !carried;

        using (await gate.EnterAsync(cancellationToken))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            if (planItemId is { } itemId && await db.PlanItems.Where(i => i.Id == itemId && i.Status == PlanItemStatus.Ready)
                    .ExecuteUpdateAsync(set => set.SetProperty(i => i.Status, PlanItemStatus.Started), cancellationToken) == 0)
            {
                return Failure.Conflict($"plan item {itemId} was started already");
            }
            var number = await NextRunNumberAsync(workItem.Id, cancellationToken);
            var run = new Run(project.Id, workItem.Id, number, trigger,
                new RunRecipe(recipe.Version, recipe.ContentHash, recipe.Yaml, recipe.ParsedJson),
                workItem.Labels.Count > 0 ? workItem.Labels : policy.DefaultLabels,
                request.Priority ?? workItem.Priority, policy.MaxRunAttempts, approvalRequired, actor, now);
            db.Runs.Add(run);
            await db.SaveChangesAsync(cancellationToken);
            if (planItemId is { } startedItem)
            {
                await db.PlanItems.Where(i => i.Id == startedItem).ExecuteUpdateAsync(set => set.SetProperty(i => i.RunId, run.Id), cancellationToken);
            }
            var steps = spec.Steps.Select((step, index) => new RunStep(run.Id, index, step.Name)).ToList();
            db.RunSteps.AddRange(steps);
            var approval = approvalRequired
                ? new RunApproval(run.Id, run.RecipeHash, actor, policy.RequiredApprovals, policy.SelfApprovalAllowed)
                : null;
            if (approval is not null)
            {
                db.RunApprovals.Add(approval);
            }
            audit.Record(actor, "run.created", Subject(run), $"{key}/{workItem.Key} #{number}, recipe {run.RecipeHash}, {run.Status}"
                + (carried ? $", approval carried over from run {carryApprovalFrom} (same recipe)" : ""));
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            Announce(run);
            return new CreatedRun(run, project.Key, workItem.Key, steps, approval);
        }
    }

    public async Task<Outcome<Run>> CancelAsync(long runId, string actor, CancellationToken cancellationToken)
    {
        using (await gate.EnterAsync(cancellationToken))
        {
            var run = await db.Runs.SingleOrDefaultAsync(r => r.Id == runId, cancellationToken);
            if (run is null)
            {
                return NotFound(runId);
            }
            var cancel = run.Cancel(actor, clock.GetUtcNow());
            if (cancel == RunCancel.AlreadyFinal)
            {
                return Failure.Conflict($"run {runId} already ended {Words(run.Status)}");
            }
            audit.Record(actor, cancel == RunCancel.Requested ? "run.cancel_requested" : "run.cancelled", Subject(run));
            if (!await TrySaveAsync(cancellationToken))
            {
                return Failure.Conflict($"run {runId} changed while it was being cancelled; try again");
            }
            Announce(run);
            return run;
        }
    }

    /// <summary>One person's approve or reject decision, checked against the policy rules in Baton.Core.</summary>
    public async Task<Outcome<Run>> DecideAsync(long runId, bool approve, string? text, string? recipeHash, string actor, Role role,
        CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var field = approve ? "comment" : "reason";
        if (!approve)
        {
            errors.RequireText(field, text, Limits.ReasonLength);
        }
        errors.Limit(field, text, Limits.ReasonLength);
        if (errors.Any)
        {
            return errors.ToFailure();
        }
        using (await gate.EnterAsync(cancellationToken))
        {
            var run = await db.Runs.SingleOrDefaultAsync(r => r.Id == runId, cancellationToken);
            if (run is null)
            {
                return NotFound(runId);
            }
            var approval = await db.RunApprovals.SingleOrDefaultAsync(a => a.RunId == runId, cancellationToken);
            if (approval is null)
            {
                return Failure.Conflict($"run {runId} does not need approval (its project's policy did not require it when it was created)");
            }
            var now = clock.GetUtcNow();
            var comment = string.IsNullOrWhiteSpace(text) ? null : text.Trim();
            var vote = run.Status == RunStatus.PendingApproval
                ? approval.Decide(actor, role, recipeHash ?? run.RecipeHash, approve, comment, now)
                : ApprovalVote.AlreadyDecided;
            if (VoteFailure(vote, run, actor) is { } refused)
            {
                return refused;
            }
            run.ApplyApproval(approval.Outcome, $"rejected by {actor}: {comment}", now);
            audit.Record(actor, approve ? "run.approved" : "run.rejected", Subject(run),
                $"{approval.Approvals} of {approval.RequiredApprovals}; recipe {approval.RecipeHash}{(comment is null ? "" : "; " + comment)}");
            if (!await TrySaveAsync(cancellationToken))
            {
                return Failure.Conflict($"someone else decided on run {runId} at the same moment; look again and retry");
            }
            Announce(run);
            return run;
        }
    }

    private static Failure? VoteFailure(ApprovalVote vote, Run run, string actor) => vote switch
    {
        ApprovalVote.RoleTooWeak => Failure.Forbidden("approving runs needs the maintainer or admin role"),
        ApprovalVote.SelfApproval => Failure.Forbidden($"{actor} requested run {run.Id} and this project's policy does not allow approving one's own run"),
        ApprovalVote.AlreadyVoted => Failure.Conflict($"{actor} already decided on run {run.Id}"),
        ApprovalVote.AlreadyDecided => Failure.Conflict($"run {run.Id} is {Words(run.Status)}, not waiting for approval"),
        ApprovalVote.RecipeChanged => Failure.Conflict($"run {run.Id} executes recipe {run.RecipeHash}, not the one this decision names"),
        _ => null,
    };

    private async Task<bool> TrySaveAsync(CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            return false;
        }
    }

    /// <summary>Wakes those who care: idle agents when it became claimable, streams and its agent always.</summary>
    private void Announce(Run run)
    {
        if (run.Status == RunStatus.Queued)
        {
            signals.PulseClaimable();
        }
        if (RunStateMachine.IsFinal(run.Status))
        {
            signals.PulseScheduler();
        }
        signals.PulseRun(run.Id);
    }

    /// <summary>Hands out the next run number of the work item inside the caller's transaction (the UPDATE serializes creators).</summary>
    private async Task<int> NextRunNumberAsync(long workItemId, CancellationToken cancellationToken)
    {
        await db.WorkItems.Where(w => w.Id == workItemId)
            .ExecuteUpdateAsync(set => set.SetProperty(w => w.LastRunNumber, w => w.LastRunNumber + 1), cancellationToken);
        return await db.WorkItems.Where(w => w.Id == workItemId).Select(w => w.LastRunNumber).SingleAsync(cancellationToken);
    }

    internal static string Subject(Run run) => $"run:{run.Id}";

    internal static string Words(RunStatus status) => JsonNamingPolicy.SnakeCaseLower.ConvertName(status.ToString()).Replace('_', ' ');

    internal static Failure NotFound(long runId) => Failure.NotFound($"run {runId} does not exist");
}

/// <summary>A new run with what was created alongside it, so callers can answer without reading it back.</summary>
public sealed record CreatedRun(Run Run, string Project, string WorkItem, IReadOnlyList<RunStep> Steps, RunApproval? Approval);
