using Baton.Contracts.Agents;

namespace Baton.Agent.Logs;

/// <summary>Sends one batch of a run's log to the server.</summary>
public interface ILogTransport
{
    Task<LogDelivery> SendAsync(long runId, SpooledBatch batch, CancellationToken cancellationToken);
}

/// <summary>A batch as spooled: its sequence and its JSON (a <see cref="LogBatch"/>), sent as is, never serialised twice.</summary>
public sealed record SpooledBatch(long Seq, ReadOnlyMemory<byte> Json);

public enum LogDelivery
{
    /// <summary>Stored (or already stored: batches are idempotent by sequence).</summary>
    Accepted,
    /// <summary>The run's lease moved on (409): this agent must stop the run; nothing more is sent.</summary>
    StaleEpoch,
    /// <summary>Not delivered this time (server down, timeout): kept on disk and tried again.</summary>
    Failed,
    /// <summary>
    /// The server answered that it did not store the batch and gave no sign a retry would do better: a 4xx other
    /// than 401, 409 and 425, or a 500. Tried again, but only for <see cref="LogShipper.RefusalBudget"/>.
    /// </summary>
    Refused,
    /// <summary>
    /// The batch is larger than the server takes (413, its <c>Runs:MaxLogBatchBytes</c>): the same batch will never be
    /// taken, so it is not sent again and the run stops at once.
    /// </summary>
    TooLarge,
}
