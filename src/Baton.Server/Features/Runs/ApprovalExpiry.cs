using Baton.Core.Runs;
using Baton.Persistence;
using Baton.Persistence.Storage;
using Baton.Server.Features.Plans;
using Baton.Server.Infrastructure.Audit;
using Baton.Server.Infrastructure.Signals;
using Baton.Server.Infrastructure.Telemetry;
using Microsoft.EntityFrameworkCore;

namespace Baton.Server.Features.Runs;

/// <summary>
/// Rejects runs that waited for approval past their project's expiry (the approval's <c>ExpiresAt</c>,
/// fixed when the run was made, so a later policy change does not move it). Part of the scheduler's pass,
/// which wakes at the earliest expiry. The approval's revision is the claim: on many replicas one rejects
/// it, and a person deciding at the same moment either wins or finds it decided.
/// </summary>
public sealed class ApprovalExpiry(BatonDbContext db, AuditTrail audit, RunSignals signals, BatonMetrics metrics, ProjectKeys projectKeys,
    WriteGate gate, TimeProvider clock)
{
    public const string Actor = "scheduler";

    public async Task ExpireDueAsync(List<TickAction> actions, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var due = await db.RunApprovals.AsNoTracking().Where(a => a.Outcome == ApprovalOutcome.Pending && a.ExpiresAt <= now)
            .OrderBy(a => a.ExpiresAt).Select(a => a.RunId).Take(100).ToListAsync(cancellationToken);
        foreach (var runId in due)
        {
            if (await ExpireAsync(runId, now, cancellationToken) is { } expired)
            {
                actions.Add(new TickAction(0, null, "approval_expired", expired.Id, expired.StatusReason));
            }
        }
    }

    /// <summary>When the next pending approval expires.</summary>
    public Task<DateTimeOffset?> NextAsync(CancellationToken cancellationToken) =>
        db.RunApprovals.Where(a => a.Outcome == ApprovalOutcome.Pending && a.ExpiresAt != null).MinAsync(a => a.ExpiresAt, cancellationToken);

    private async Task<Run?> ExpireAsync(long runId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        Run run;
        using (await gate.EnterAsync(cancellationToken))
        {
            var approval = await db.RunApprovals.SingleAsync(a => a.RunId == runId, cancellationToken);
            run = await db.Runs.SingleAsync(r => r.Id == runId, cancellationToken);
            var waited = approval.ExpiresAt - run.CreatedAt;
            if (!approval.Expire(now) || !run.ApplyApproval(ApprovalOutcome.Rejected,
                    $"rejected: not approved within {waited?.TotalHours:0.#} h ({approval.Approvals} of {approval.RequiredApprovals})", now))
            {
                db.ChangeTracker.Clear();
                return null;
            }
            audit.Record(Actor, "run.approval_expired", RunCommands.Subject(run), run.StatusReason);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                // Someone decided, or another replica expired it, at the same moment: theirs stands.
                db.ChangeTracker.Clear();
                return null;
            }
            db.ChangeTracker.Clear();
            RunCommands.Announce(signals, run);
        }
        metrics.RunFinished(await projectKeys.KeyAsync(db, run.ProjectId, cancellationToken), run.Status, null);
        return run;
    }
}
