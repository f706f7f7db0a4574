using System.Collections.Concurrent;
using Baton.Core.Agents;

namespace Baton.Server.Features.Agents;

/// <summary>
/// The agents this replica read lately, so a claim does not read its agent's row every time: a busy agent claims
/// after every run (the completion's eager dispatch), and each read was a transaction of its own. A row is trusted
/// for <see cref="Freshness"/>: labels, capacity or token changed by a registration on another replica take that
/// long to reach this one's claims (on this replica, registering forgets the entry at once).
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

    /// <param name="Agent">The row as read (never changed in place).</param>
    /// <param name="ReadAt">When it was read.</param>
    /// <param name="SeenAt">The last-seen time the database holds for it.</param>
    /// <param name="Draining">The draining flag the database holds for it.</param>
    public sealed record Sighting(Agent Agent, DateTimeOffset ReadAt, DateTimeOffset SeenAt, bool Draining);

    public bool TryGet(long agentId, DateTimeOffset now, out Sighting sighting) =>
        _agents.TryGetValue(agentId, out sighting!) && now - sighting.ReadAt < Freshness;

    public void Remember(Sighting sighting)
    {
        ArgumentNullException.ThrowIfNull(sighting);
        _agents[sighting.Agent.Id] = sighting;
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
