using Baton.Core.Plans;
using Baton.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Baton.Server.Features.Plans;

/// <summary>A plan as the plans list shows it: its state and how many of its items are where.</summary>
public sealed record PlanSummaryDto(long Id, string Project, PlanStatus Status, string RequestedBy, DateTimeOffset CreatedAt,
    DateTimeOffset? FinishedAt, IReadOnlyDictionary<PlanItemStatus, int> Items)
{
    public int Total => Items.Values.Sum();

    /// <summary>Items that will not change any more (succeeded, failed, cancelled, skipped).</summary>
    public int Done => Items.Where(i => PlanGraph.IsFinal(i.Key)).Sum(i => i.Value);
}

public static class PlanList
{
    /// <summary>The newest <paramref name="take"/> plans, newest first, with their items counted by state in one grouped query.</summary>
    public static async Task<List<PlanSummaryDto>> RecentPlansAsync(this BatonDbContext db, int take, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var plans = await (
            from plan in db.Plans.AsNoTracking()
            join project in db.Projects on plan.ProjectId equals project.Id
            orderby plan.Id descending
            select new { plan.Id, project.Key, plan.Status, plan.RequestedBy, plan.CreatedAt, plan.FinishedAt })
            .Take(take).ToListAsync(cancellationToken);
        var ids = plans.Select(p => p.Id).ToList();
        var counts = (await db.PlanItems.AsNoTracking().Where(i => ids.Contains(i.PlanId))
            .GroupBy(i => new { i.PlanId, i.Status }).Select(g => new { g.Key.PlanId, g.Key.Status, Count = g.Count() })
            .ToListAsync(cancellationToken)).ToLookup(c => c.PlanId);
        return [.. plans.Select(p => new PlanSummaryDto(p.Id, p.Key, p.Status, p.RequestedBy, p.CreatedAt, p.FinishedAt,
            counts[p.Id].ToDictionary(c => c.Status, c => c.Count)))];
    }
}
