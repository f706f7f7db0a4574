using System.Diagnostics.CodeAnalysis;
using Baton.Core.Runs;
using Microsoft.Extensions.Caching.Memory;

namespace Baton.Server.Features.Runs;

/// <summary>
/// Finished runs' details, kept in this replica's memory so reading one again costs no database trip: the read that scripts
/// and dashboards repeat most (a CI script polling `GET /api/runs/{id}` until the end, then again for its result).
/// A finished run never changes (<see cref="RunStateMachine.IsFinal"/>: no transition leaves a final state, log lines are
/// accepted only while running) and runs are never deleted, so nothing needs evicting; the lifetime only bounds how long a
/// hand edit of the database stays unseen, and the size limit bounds the memory.
/// </summary>
public sealed class FinishedRunCache : IDisposable
{
    /// <summary>Units: one per run plus one per step, a few hundred bytes each, so a few MB at most.</summary>
    public const long SizeLimit = 20_000;

    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(60);

    private readonly MemoryCache _runs;

    public FinishedRunCache(TimeProvider clock) =>
        _runs = new MemoryCache(new MemoryCacheOptions { SizeLimit = SizeLimit, Clock = new SystemClockAdapter(clock) });

    public bool TryGet(long runId, [MaybeNullWhen(false)] out RunDto run) => _runs.TryGetValue(runId, out run);

    /// <summary>Keeps the detail when the run is final; any other run may change at any moment, so it is never kept.</summary>
    public void Offer(RunDto run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (RunStateMachine.IsFinal(run.Status))
        {
            _runs.Set(run.Id, run, new MemoryCacheEntryOptions { Size = 1 + run.Steps.Count, AbsoluteExpirationRelativeToNow = Lifetime });
        }
    }

    public void Dispose() => _runs.Dispose();

    /// <summary>The cache's expirations on the server's <see cref="TimeProvider"/>, so tests move them with a fake clock.</summary>
    private sealed class SystemClockAdapter(TimeProvider clock) : Microsoft.Extensions.Internal.ISystemClock
    {
        public DateTimeOffset UtcNow => clock.GetUtcNow();
    }
}
