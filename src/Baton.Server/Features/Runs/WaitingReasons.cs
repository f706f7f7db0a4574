using Baton.Core.Agents;
using Baton.Core.Runs;
using Baton.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Baton.Server.Features.Runs;

/// <summary>
/// Says in words why a run is not running yet: waiting for approval (1 of 2), no online agent
/// has labels X, all N matching agents busy, concurrency group X held by run N, or that an agent is about to take it.
/// </summary>
public sealed class WaitingReasons(BatonDbContext db, ConcurrencyGroups groups, TimeProvider clock, Microsoft.Extensions.Options.IOptions<RunOptions> options)
{
    /// <summary>The reason, reading the run's approval only when it waits for one.</summary>
    public async Task<string?> ForAsync(Run run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var approval = run.Status == RunStatus.PendingApproval
            ? await db.RunApprovals.AsNoTracking().SingleOrDefaultAsync(a => a.RunId == run.Id, cancellationToken)
            : null;
        return await ForAsync(run, approval, cancellationToken);
    }

    public async Task<string?> ForAsync(Run run, RunApproval? approval, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.Status == RunStatus.PendingApproval && approval is not null)
        {
            return $"waiting for approval ({approval.Approvals} of {approval.RequiredApprovals})";
        }
        if (run.Status != RunStatus.Queued)
        {
            return null;
        }
        if (await groups.WhyHeldAsync(run, cancellationToken) is { } held)
        {
            return held;
        }
        return await ForAgentsAsync(run.Labels, run.Id, cancellationToken);
    }

    /// <summary>
    /// Why a queued run with these labels, held by no group, is not running yet: the agents' side of the answer. A run being
    /// made asks before it is written (<paramref name="runId"/> 0), so the answer costs its creating transaction no lock time.
    /// </summary>
    public async Task<string> ForAgentsAsync(IReadOnlyList<string> labels, long runId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(labels);
        // A plain captured value: EF would compile a delegate on every call to evaluate `now - silence` inside the query.
        var seenSince = clock.GetUtcNow() - options.Value.AgentSilence;
        // One statement: each online agent with the runs it holds. Not this run: an idle agent may have claimed it since it
        // was read, and must not count as busy with it.
        var agents = await db.Agents.AsNoTracking().Where(a => a.LastSeenAt >= seenSince)
            .Select(a => new { Agent = a, Running = db.Runs.Count(r => r.AgentId == a.Id && r.Status == RunStatus.Running && r.Id != runId) })
            .ToListAsync(cancellationToken);
        var matching = agents.Where(a => !a.Agent.Draining && a.Agent.Matches(labels)).ToList();
        if (matching.Count == 0)
        {
            return agents.Count == 0 ? "no agent is online"
                : labels.Count == 0 ? "no online agent is accepting work"
                : $"no online agent has labels {string.Join(", ", labels)}";
        }
        var busy = matching.Count(a => a.Running >= a.Agent.Capacity);
        return busy == matching.Count
            ? (matching.Count == 1 ? "the only matching agent is busy" : $"all {matching.Count} matching agents busy")
            : "waiting for an agent to claim it";
    }
}
