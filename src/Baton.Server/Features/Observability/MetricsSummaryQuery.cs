using Baton.Core.Observability;
using Baton.Core.Runs;
using Baton.Persistence;
using Baton.Server.Infrastructure.Telemetry;
using Microsoft.EntityFrameworkCore;

namespace Baton.Server.Features.Observability;

/// <summary>
/// The figures of <c>GET /api/metrics</c> read from storage (so every replica answers the same):
/// runs by status over all time, and run, step, queue-wait and approval-wait durations over the
/// latest <see cref="Window"/> finished runs, so the answer costs the same whatever the history.
/// </summary>
public sealed class MetricsSummaryQuery(BatonDbContext db)
{
    public const int Window = 2000;
    private static readonly RunStatus[] Final = [RunStatus.Succeeded, RunStatus.Failed, RunStatus.TimedOut, RunStatus.Cancelled, RunStatus.Skipped];

    public async Task<MetricsSummaryDto> ReadAsync(long? projectId, string? projectKey, CancellationToken cancellationToken)
    {
        var runs = db.Runs.AsNoTracking().Where(r => projectId == null || r.ProjectId == projectId);
        var byStatus = Enum.GetValues<RunStatus>().ToDictionary(BatonMetrics.Name, _ => 0L);
        foreach (var row in await runs.GroupBy(r => r.Status).Select(g => new { g.Key, Count = g.LongCount() }).ToListAsync(cancellationToken))
        {
            byStatus[BatonMetrics.Name(row.Key)] = row.Count;
        }
        var started = await runs.LongCountAsync(r => r.StartedAt != null, cancellationToken);
        var latest = await runs.Where(r => Final.Contains(r.Status)).OrderByDescending(r => r.Id).Take(Window)
            .Select(r => new { r.Id, r.CreatedAt, r.QueuedAt, r.StartedAt, r.FinishedAt, Approval = db.RunApprovals.Any(a => a.RunId == r.Id) })
            .ToListAsync(cancellationToken);
        var ids = latest.Select(r => r.Id).ToList();
        var steps = await db.RunSteps.AsNoTracking().Where(s => ids.Contains(s.RunId) && s.StartedAt != null && s.FinishedAt != null)
            .Select(s => new { s.StartedAt, s.FinishedAt }).ToListAsync(cancellationToken);
        var buckets = BatonMetrics.SecondsBuckets;
        return new MetricsSummaryDto(projectKey, byStatus, started, Final.Sum(s => byStatus[BatonMetrics.Name(s)]), latest.Count,
            DurationStats.Of(latest.Where(r => r.StartedAt != null && r.FinishedAt != null).Select(r => (r.FinishedAt!.Value - r.StartedAt!.Value).TotalSeconds), buckets),
            DurationStats.Of(steps.Select(s => (s.FinishedAt!.Value - s.StartedAt!.Value).TotalSeconds), buckets),
            DurationStats.Of(latest.Where(r => r.QueuedAt != null && r.StartedAt != null).Select(r => (r.StartedAt!.Value - r.QueuedAt!.Value).TotalSeconds), buckets),
            DurationStats.Of(latest.Where(r => r.Approval && r.QueuedAt != null).Select(r => (r.QueuedAt!.Value - r.CreatedAt).TotalSeconds), buckets));
    }
}
