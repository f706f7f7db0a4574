using System.Collections.Concurrent;

namespace Baton.Server.Infrastructure.Auth;

/// <summary>
/// Job tokens this replica handed out or checked, by hash, so that an agent's calls about a run (a short run makes one: its
/// completion) do not each read the run to find whose token it is; that read was a commit of its own per run on PostgreSQL.
/// </summary>
/// <remarks>
/// What is remembered is only whose token it is (run, agent). The run's state is not: every call a job token may make
/// is a write fenced by the run's lease epoch and running status (DESIGN.md section 4), so a remembered token whose run
/// moved on gets 409 from that write and its agent stops the run, where an unremembered one gets 401; either way nothing
/// it sends is stored. The replica that ends a run forgets its token at once (completion, lease expiry), so its repeated
/// completion still meets the database's answer; an entry also ages out after <see cref="Lifetime"/>.
/// </remarks>
public sealed class JobTokenCache(TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, Entry> _byHash = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<long, string> _byRun = new();

    public sealed record JobHolder(long RunId, long? AgentId, string Agent);

    private sealed record Entry(JobHolder Holder, DateTimeOffset At);

    public void Remember(string hash, JobHolder holder)
    {
        ArgumentNullException.ThrowIfNull(holder);
        if (_byRun.TryGetValue(holder.RunId, out var previous) && previous != hash)
        {
            _byHash.TryRemove(previous, out _);
        }
        _byHash[hash] = new Entry(holder, clock.GetUtcNow());
        _byRun[holder.RunId] = hash;
    }

    public bool TryGet(string hash, out JobHolder holder)
    {
        if (_byHash.TryGetValue(hash, out var entry) && clock.GetUtcNow() - entry.At < Lifetime)
        {
            holder = entry.Holder;
            return true;
        }
        holder = null!;
        return false;
    }

    /// <summary>The run ended or lost its lease here: its token is looked up in the database again.</summary>
    public void Forget(long runId)
    {
        if (_byRun.TryRemove(runId, out var hash))
        {
            _byHash.TryRemove(hash, out _);
        }
    }
}
