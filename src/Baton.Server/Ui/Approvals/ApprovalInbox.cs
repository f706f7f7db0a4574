using Baton.Core.Runs;
using Baton.Persistence;
using Baton.Server.Features.Runs;
using Microsoft.EntityFrameworkCore;

namespace Baton.Server.Ui.Approvals;

/// <summary>A run waiting for approval with how far its approval has come and who gave it.</summary>
public sealed record PendingRun(RunSummaryDto Run, int Approvals, int RequiredApprovals, IReadOnlyList<string> Approvers, DateTimeOffset? ExpiresAt);

/// <summary>The inbox's runs: the run list's pending-approval page, joined to those runs' approvals in one more query.</summary>
public static class ApprovalInbox
{
    public static async Task<List<PendingRun>> PendingRunsAsync(IServiceProvider services, int take, CancellationToken cancellationToken)
    {
        var queries = services.GetRequiredService<RunQueries>();
        var db = services.GetRequiredService<BatonDbContext>();
        var runs = await queries.ListAsync(new RunFilter(null, null, RunStatus.PendingApproval), long.MaxValue, take, cancellationToken);
        var ids = runs.Select(r => r.Id).ToList();
        var approvals = await db.RunApprovals.AsNoTracking().Where(a => ids.Contains(a.RunId)).ToDictionaryAsync(a => a.RunId, cancellationToken);
        return [.. runs.Select(run => approvals.TryGetValue(run.Id, out var approval)
            ? new PendingRun(run, approval.Approvals, approval.RequiredApprovals,
                [.. approval.Decisions.Where(d => d.Approve).Select(d => d.Actor)], approval.ExpiresAt)
            : new PendingRun(run, 0, 1, [], null))];
    }
}
