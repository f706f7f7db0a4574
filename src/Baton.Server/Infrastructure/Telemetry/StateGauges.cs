using System.Diagnostics.Metrics;
using Baton.Core.Agents;
using Baton.Core.Runs;
using Baton.Persistence;
using Baton.Server.Features.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Baton.Server.Infrastructure.Telemetry;

/// <summary>
/// Runs and agents by status, counted in the database when metrics are collected (a scrape, an OTLP
/// export), never on a timer: an idle server that nobody scrapes makes no query. One count serves
/// both gauges of a collection (they are asked one right after the other).
/// </summary>
public sealed class StateGauges(IServiceScopeFactory scopes, IOptions<RunOptions> options, TimeProvider clock)
{
    private static readonly TimeSpan Reuse = TimeSpan.FromMilliseconds(100);
    private readonly Lock _gate = new();
    private (DateTimeOffset At, Counts Counts)? _last;

    public IEnumerable<Measurement<long>> Runs() =>
        Read().Runs.Select(r => new Measurement<long>(r.Value, new KeyValuePair<string, object?>("status", BatonMetrics.Name(r.Key))));

    public IEnumerable<Measurement<long>> Agents() =>
        Read().Agents.Select(a => new Measurement<long>(a.Value, new KeyValuePair<string, object?>("status", BatonMetrics.Name(a.Key))));

    private Counts Read()
    {
        var now = clock.GetUtcNow();
        lock (_gate)
        {
            if (_last is { } last && now - last.At < Reuse)
            {
                return last.Counts;
            }
        }
        // Collections are synchronous: a short synchronous read through its own scope.
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BatonDbContext>();
        var runs = Enum.GetValues<RunStatus>().ToDictionary(s => s, _ => 0L);
        foreach (var row in db.Runs.AsNoTracking().GroupBy(r => r.Status).Select(g => new { g.Key, Count = g.LongCount() }).ToList())
        {
            runs[row.Key] = row.Count;
        }
        var running = db.Runs.AsNoTracking().Where(r => r.Status == RunStatus.Running && r.AgentId != null)
            .GroupBy(r => r.AgentId).Select(g => new { Agent = g.Key!.Value, Count = g.Count() }).ToDictionary(g => g.Agent, g => g.Count);
        var agents = Enum.GetValues<AgentStatus>().ToDictionary(s => s, _ => 0L);
        foreach (var agent in db.Agents.AsNoTracking().ToList())
        {
            agents[agent.StatusAt(now, options.Value.AgentSilence, running.GetValueOrDefault(agent.Id))]++;
        }
        var counts = new Counts(runs, agents);
        lock (_gate)
        {
            _last = (now, counts);
        }
        return counts;
    }

    private sealed record Counts(Dictionary<RunStatus, long> Runs, Dictionary<AgentStatus, long> Agents);
}
