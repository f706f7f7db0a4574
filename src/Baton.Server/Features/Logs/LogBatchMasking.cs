using Baton.Core.Secrets;

namespace Baton.Server.Features.Logs;

/// <summary>
/// The server's masking pass over a batch, after the agent's: defence in depth for an agent that is old, buggy or
/// not Baton's. Batches of projects without secrets pass untouched; the others are parsed, and written again only
/// when a line held a secret.
/// </summary>
public static class LogBatchMasking
{
    public static IncomingLogBatch Apply(IncomingLogBatch batch, SecretMasker masker)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(masker);
        if (masker.IsEmpty)
        {
            return batch;
        }
        return LogLineTexts.Rewrite(batch.LinesJson, masker.Apply) is var (json, change)
            ? batch with { LinesJson = json, TextBytes = batch.TextBytes + change }
            : batch;
    }
}
