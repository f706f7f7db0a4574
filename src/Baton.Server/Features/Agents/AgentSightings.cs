using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Baton.Core.Agents;

namespace Baton.Server.Features.Agents;

/// <summary>
/// The agents this replica saw lately, so a claim does not touch its agent's row every time: a busy agent claims
/// after every run (the completion's eager dispatch), and each touch is a transaction of its own. A row, read back by
/// the touch that recorded the agent as seen, is trusted for <see cref="Freshness"/>: labels, capacity or token changed
/// by a registration on another replica take that long to reach this one's claims (on this replica, registering forgets
/// the entry at once), and the agent's last-seen time is that much behind at most.
/// </summary>
public sealed class AgentSightings
{
    public static readonly TimeSpan Freshness = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a finding that the queue was empty is trusted, pulses or not: a run made claimable without one (a lost
    /// signal between replicas, a hand edit of the database) is still found by the next claim to start after this.
    /// </summary>
    public static readonly TimeSpan EmptyQueueTrust = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<long, Sighting> _agents = new();

    // By label set, not by agent: what one agent found of the queue holds for every agent that matches the same runs.
    private readonly ConcurrentDictionary<string, (long Generation, DateTimeOffset At)> _foundNothingAt = new(StringComparer.Ordinal);

    /// <param name="Agent">The row as the touch read it back (never changed in place).</param>
    /// <param name="At">When: the last-seen time that touch wrote.</param>
    private sealed record Sighting(Agent Agent, DateTimeOffset At);

    /// <summary>The agent as seen less than <see cref="Freshness"/> ago, if it was.</summary>
    public bool TryGet(long agentId, DateTimeOffset now, [MaybeNullWhen(false)] out Agent agent)
    {
        agent = _agents.TryGetValue(agentId, out var sighting) && now - sighting.At < Freshness ? sighting.Agent : null;
        return agent is not null;
    }

    /// <summary>Remembers the row a touch at <paramref name="at"/> read back.</summary>
    public void Remember(Agent agent, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(agent);
        _agents[agent.Id] = new Sighting(agent, at);
    }

    public void Forget(long agentId) => _agents.TryRemove(agentId, out _);

    /// <summary>
    /// The claim generation (see <c>ClaimWakeups.Generation</c>) at which the queue had nothing (more) for agents with the
    /// agent's labels, as its claim found: a claim made with a slot free that found nothing, or one that took the last run
    /// those labels match. Null forgets it.
    /// </summary>
    public void FoundNothing(Agent agent, long? generation, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(agent);
        if (generation is { } at)
        {
            _foundNothingAt[LabelSet(agent)] = (at, now);
        }
        else
        {
            _foundNothingAt.TryRemove(LabelSet(agent), out _);
        }
    }

    /// <summary>Whether the queue is known to have had nothing for the agent's labels at this generation, lately.</summary>
    public bool FoundNothingAt(Agent agent, long generation, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(agent);
        return _foundNothingAt.TryGetValue(LabelSet(agent), out var found) && found.Generation == generation && now - found.At < EmptyQueueTrust;
    }

    private static string LabelSet(Agent agent) => string.Join('\n', agent.Labels.Order(StringComparer.Ordinal));
}
