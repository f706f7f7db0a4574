using Baton.Contracts.Agents;

namespace Baton.Agent.Client;

/// <summary>What became of a write about a run (lease, logs, steps, complete).</summary>
public enum WriteResult
{
    /// <summary>The server took it (writes are idempotent, so a repeat is also accepted).</summary>
    Accepted,
    /// <summary>409 (the lease on the run moved on) or 401 (its job token expired): this agent must stop the run and send nothing more.</summary>
    StaleEpoch,
    /// <summary>Not delivered this time (network error, timeout, 5xx, 425): try again later.</summary>
    Failed,
}

/// <summary>The answer to a lease renewal: <see cref="Lease"/> is set only when <see cref="Result"/> is Accepted.</summary>
public sealed record LeaseResult(WriteResult Result, LeaseResponse? Lease)
{
    public static LeaseResult Lost { get; } = new(WriteResult.StaleEpoch, null);
    public static LeaseResult Failed { get; } = new(WriteResult.Failed, null);
}

/// <summary>The answer to a completion: <see cref="Next"/> is a run already leased to this agent, to be run in the slot just freed.</summary>
public sealed record CompleteResult(WriteResult Result, ClaimedRun? Next);

/// <summary>A call that did not get the answer it needed (unreachable server, or a status the protocol does not expect).</summary>
public sealed class AgentCallException : Exception
{
    public AgentCallException()
    {
    }

    public AgentCallException(string message) : base(message)
    {
    }

    public AgentCallException(string message, Exception? innerException) : base(message, innerException)
    {
    }
}

/// <summary>The server no longer knows this agent (its database was replaced or the agent removed): register again.</summary>
public sealed class AgentNotRegisteredException : Exception
{
    public AgentNotRegisteredException()
    {
    }

    public AgentNotRegisteredException(string message) : base(message)
    {
    }

    public AgentNotRegisteredException(string message, Exception? innerException) : base(message, innerException)
    {
    }
}
