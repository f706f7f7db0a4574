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
using Baton.Server.Infrastructure.Telemetry;
using Microsoft.EntityFrameworkCore;

namespace Baton.Server.Features.Runs;

/// <summary>What people do to runs once they exist: cancel them, approve or reject them (starting one: <see cref="RunCreator"/>).</summary>
public sealed class RunCommands(BatonDbContext db, ConcurrencyGroups groups, AuditTrail audit, RunSignals signals, WriteGate gate,
    BatonMetrics metrics, ProjectKeys projectKeys, TimeProvider clock)
{
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
            if (cancel == RunCancel.Cancelled)
            {
                metrics.RunFinished(await projectKeys.KeyAsync(db, run.ProjectId, cancellationToken), run.Status, null);
            }
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
        Run decided;
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
            decided = run;
        }
        var project = await projectKeys.KeyAsync(db, decided.ProjectId, cancellationToken);
        if (decided.Status == RunStatus.Queued)
        {
            metrics.ApprovalWaited(project, (decided.QueuedAt ?? decided.CreatedAt) - decided.CreatedAt);
        }
        else if (RunStateMachine.IsFinal(decided.Status))
        {
            metrics.RunFinished(project, decided.Status, null);
        }
        // Approved into a concurrency group: it waits for a slot like any queued run of the group.
        if (decided.Status == RunStatus.Queued && (await groups.AdmitAsync(decided.ProjectId, decided.ConcurrencyGroup, cancellationToken)).Contains(decided.Id))
        {
            decided.Admitted();
        }
        return decided;
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

    private void Announce(Run run) => Announce(signals, run);

    /// <summary>Wakes those who care: idle agents when it became claimable, streams and its agent always.</summary>
    internal static void Announce(RunSignals signals, Run run)
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

    internal static string Subject(Run run) => $"run:{run.Id}";

    internal static string Words(RunStatus status) => JsonNamingPolicy.SnakeCaseLower.ConvertName(status.ToString()).Replace('_', ' ');

    internal static Failure NotFound(long runId) => Failure.NotFound($"run {runId} does not exist");
}
