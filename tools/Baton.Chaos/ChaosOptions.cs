namespace Baton.Chaos;

/// <summary>
/// How big a chaos run is and how hard it is hit. <see cref="Full"/> is `make chaos`; <see cref="Quick"/>
/// is the cut-down run `make test` includes (one kill of each kind).
/// </summary>
public sealed record ChaosOptions
{
    public int Runs { get; init; } = 10_000;
    /// <summary>No faults at all: the same work on a healthy cluster, the baseline the chaos figures are read against.</summary>
    public bool Calm { get; init; }
    public int Replicas { get; init; } = 3;
    public int Agents { get; init; } = 8;
    public int Capacity { get; init; } = 2;
    /// <summary>Requests the client has in flight at once.</summary>
    public int Senders { get; init; } = 4;
    public TimeSpan ReplicaKillEvery { get; init; } = TimeSpan.FromSeconds(20);
    public TimeSpan AgentKillEvery { get; init; } = TimeSpan.FromSeconds(15);
    /// <summary>No more kills of that kind after this many (null: as long as the chaos lasts).</summary>
    public int? ReplicaKills { get; init; }
    public int? AgentKills { get; init; }
    /// <summary>When PostgreSQL is crashed (once), after the start of the chaos.</summary>
    public TimeSpan PostgresRestartAfter { get; init; } = TimeSpan.FromSeconds(45);
    /// <summary>How long PostgreSQL stays down.</summary>
    public TimeSpan PostgresDownFor { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>After the chaos ends, how long a run may take to become final before it counts as stuck.</summary>
    public TimeSpan StuckAfter { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>The chaos ends when the work is done, or after this long however far it got.</summary>
    public TimeSpan ChaosLimit { get; init; } = TimeSpan.FromMinutes(30);

    public static ChaosOptions Full { get; } = new();

    public static ChaosOptions Quick { get; } = new()
    {
        Runs = 1_000,
        ReplicaKillEvery = TimeSpan.FromSeconds(4),
        AgentKillEvery = TimeSpan.FromSeconds(6),
        ReplicaKills = 1,
        AgentKills = 1,
        PostgresRestartAfter = TimeSpan.FromSeconds(9),
        PostgresDownFor = TimeSpan.FromSeconds(3),
        ChaosLimit = TimeSpan.FromMinutes(5),
    };
}
