using Baton.Core.Runs;
using Baton.Persistence;
using Baton.Server.Features.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Baton.Server.Features.Agents;

/// <summary>The agents as people see them (GET /api/agents, the UI): each with its runs in progress and its status now.</summary>
public sealed class AgentQueries(BatonDbContext db, IOptions<RunOptions> options, TimeProvider clock)
{
    public const int MaxListed = 1000;

    public async Task<IReadOnlyList<AgentDto>> ListAsync(CancellationToken cancellationToken)
    {
        var agents = await db.Agents.AsNoTracking().OrderBy(a => a.Name).Take(MaxListed).ToListAsync(cancellationToken);
        var running = await db.Runs.AsNoTracking().Where(r => r.Status == RunStatus.Running && r.AgentId != null)
            .GroupBy(r => r.AgentId).Select(g => new { Agent = g.Key!.Value, Count = g.Count() })
            .ToDictionaryAsync(g => g.Agent, g => g.Count, cancellationToken);
        var now = clock.GetUtcNow();
        return [.. agents.Select(a =>
        {
            var busy = running.GetValueOrDefault(a.Id);
            return new AgentDto(a.Id, a.Name, a.Labels, a.Capacity, busy, a.Version, a.StatusAt(now, options.Value.AgentSilence, busy),
                a.RegisteredAt, a.LastSeenAt);
        })];
    }
}
