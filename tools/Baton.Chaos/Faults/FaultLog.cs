using System.Collections.Concurrent;
using System.Diagnostics;

namespace Baton.Chaos.Faults;

public enum FaultKind
{
    ReplicaKill,
    AgentKill,
    PostgresRestart,
}

/// <summary>
/// One fault and what it took to recover: for a replica, from the kill until it was ready again; for an agent,
/// from the kill until none of its runs was still marked running (requeued or taken by another agent); for
/// PostgreSQL, from the crash until every replica was ready again, and whether each said not-ready meanwhile.
/// </summary>
public sealed record Fault(FaultKind Kind, string Target, double AtSeconds, double? RecoverySeconds, string? Note = null);

/// <summary>The faults of one chaos run, in the order they were made.</summary>
public sealed class FaultLog
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly ConcurrentQueue<Fault> _faults = new();

    public double Now => _clock.Elapsed.TotalSeconds;

    public void Add(Fault fault) => _faults.Enqueue(fault);

    public IReadOnlyList<Fault> Faults => [.. _faults.OrderBy(fault => fault.AtSeconds)];

    public int Count(FaultKind kind) => _faults.Count(fault => fault.Kind == kind);
}
