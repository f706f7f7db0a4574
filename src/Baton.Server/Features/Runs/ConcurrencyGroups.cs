using Baton.Core.Runs;
using Baton.Persistence;
using Baton.Persistence.Storage;
using Baton.Server.Infrastructure.Signals;
using Microsoft.EntityFrameworkCore;

namespace Baton.Server.Features.Runs;

/// <summary>
/// Concurrency groups: at most a group's limit of its runs (per project) hold a slot at once, a slot
/// being held by a run queued for an agent, running, or lost and about to be requeued. Runs of a
/// grouped work item are made held (queued, never claimable); admission releases held runs, highest
/// priority then oldest, while slots are free, so extra runs wait in order and nothing is cancelled.
/// Admission runs wherever a group's occupancy may have changed (a run made, approved or ended) and
/// in every scheduler pass, which also repairs what a crash between a change and its admission left.
/// On PostgreSQL a transaction-scoped advisory lock per group makes replicas admit one at a time;
/// SQLite has one writer, and the write gate.
/// </summary>
public sealed class ConcurrencyGroups(BatonDbContext db, WriteGate gate, RunSignals signals)
{
    private static readonly RunStatus[] Holding = [RunStatus.Queued, RunStatus.Running, RunStatus.Lost];

    /// <summary>Releases the group's held runs while it has free slots; returns the runs released (empty outside a group).</summary>
    public async Task<IReadOnlyList<long>> AdmitAsync(long projectId, string? group, CancellationToken cancellationToken)
    {
        if (group is null)
        {
            return [];
        }
        var released = new List<long>();
        using (await gate.EnterAsync(cancellationToken))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            if (db.Database.IsNpgsql())
            {
                var scope = $"baton.concurrency:{projectId}:{group}";
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({scope}, 0))", cancellationToken);
            }
            while (true)
            {
                // One at a time and in order: the next held run is admitted only while the group has room under its limit.
                var next = await db.Runs.AsNoTracking()
                    .Where(c => c.ProjectId == projectId && c.ConcurrencyGroup == group && c.Held && c.Status == RunStatus.Queued)
                    .OrderByDescending(c => c.Priority).ThenBy(c => c.Id)
                    .Select(c => new { c.Id, c.ConcurrencyLimit }).FirstOrDefaultAsync(cancellationToken);
                if (next is null || await Holders(projectId, group).CountAsync(cancellationToken) >= next.ConcurrencyLimit)
                {
                    break;
                }
                if (await db.Runs.Where(r => r.Id == next.Id && r.Held).ExecuteUpdateAsync(set => set.SetProperty(r => r.Held, false), cancellationToken) == 1)
                {
                    released.Add(next.Id);
                }
            }
            await transaction.CommitAsync(cancellationToken);
        }
        if (released.Count > 0)
        {
            signals.PulseClaimable();
            released.ForEach(signals.PulseRun);
        }
        return released;
    }

    /// <summary>Admits in every group that has runs waiting (the scheduler pass).</summary>
    public async Task AdmitWaitingAsync(CancellationToken cancellationToken)
    {
        var groups = await db.Runs.AsNoTracking().Where(r => r.Held && r.Status == RunStatus.Queued)
            .Select(r => new { r.ProjectId, r.ConcurrencyGroup }).Distinct().ToListAsync(cancellationToken);
        foreach (var waiting in groups)
        {
            await AdmitAsync(waiting.ProjectId, waiting.ConcurrencyGroup, cancellationToken);
        }
    }

    /// <summary>"concurrency group deploy held by run 812" for a held run: who holds the group's slots, oldest first.</summary>
    public async Task<string?> WhyHeldAsync(Run run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (!run.Held || run.ConcurrencyGroup is not { } group)
        {
            return null;
        }
        var holders = await Holders(run.ProjectId, group).OrderBy(r => r.Id).Select(r => r.Id).Take(5).ToListAsync(cancellationToken);
        return holders.Count switch
        {
            0 => $"waiting for a slot in concurrency group {group}",
            1 => $"concurrency group {group} held by run {holders[0]}",
            _ => $"concurrency group {group} held by runs {string.Join(", ", holders)}",
        };
    }

    private IQueryable<Run> Holders(long projectId, string group) =>
        db.Runs.AsNoTracking().Where(h => h.ProjectId == projectId && h.ConcurrencyGroup == group && !h.Held && Holding.Contains(h.Status));
}
