namespace Baton.Core.Agents;

/// <summary>
/// A worker process that claims runs. Registering again under the same name updates the
/// same agent. "Lost" is not stored: it is read from <see cref="LastSeenAt"/>, so an agent
/// that died needs no one to mark it.
/// </summary>
public sealed class Agent
{
    private Agent() { }

    public Agent(string name, IReadOnlyList<string> labels, int capacity, string version, long? tokenId, DateTimeOffset now)
    {
        Name = name;
        RegisteredAt = now;
        Register(labels, capacity, version, tokenId, now);
    }

    public const int NameLength = 100;

    public long Id { get; private set; }
    public string Name { get; private set; } = "";
    public List<string> Labels { get; private set; } = [];
    public int Capacity { get; private set; }
    public string Version { get; private set; } = "";
    public bool Draining { get; private set; }
    public DateTimeOffset RegisteredAt { get; private set; }
    public DateTimeOffset LastSeenAt { get; private set; }
    /// <summary>
    /// The agent token that registered the agent last: only that token may claim for it, so one agent token cannot
    /// take another fleet's runs (and their secrets) by naming that fleet's agent id. Registering again with another
    /// token (a rotation) moves the agent to it.
    /// </summary>
    public long? TokenId { get; private set; }

    public void Register(IReadOnlyList<string> labels, int capacity, string version, long? tokenId, DateTimeOffset now)
    {
        TokenId = tokenId;
        Labels = [.. labels];
        Capacity = capacity;
        Version = version;
        Draining = false;
        LastSeenAt = now;
    }

    /// <summary>Whether the agent has been heard from recently enough to count as online.</summary>
    public bool IsOnline(DateTimeOffset now, TimeSpan silence) => now - LastSeenAt <= silence;

    /// <summary>The agent can take a run needing <paramref name="needed"/> labels.</summary>
    public bool Matches(IEnumerable<string> needed) => needed.All(Labels.Contains);

    public AgentStatus StatusAt(DateTimeOffset now, TimeSpan silence, int running) =>
        !IsOnline(now, silence) ? AgentStatus.Lost
        : Draining ? AgentStatus.Draining
        : running > 0 ? AgentStatus.Busy
        : AgentStatus.Idle;
}

public enum AgentStatus
{
    Idle,
    Busy,
    Lost,
    Draining,
}
