using System.Text;
using System.Text.Json.Nodes;
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
        var lines = JsonNode.Parse(batch.LinesJson)!.AsArray();
        var bytes = batch.TextBytes;
        var changed = false;
        foreach (var line in lines)
        {
            var text = line!["text"]!.GetValue<string>();
            var masked = masker.Apply(text);
            if (!ReferenceEquals(masked, text))
            {
                bytes += Encoding.UTF8.GetByteCount(masked) - Encoding.UTF8.GetByteCount(text);
                line["text"] = masked;
                changed = true;
            }
        }
        return changed ? batch with { LinesJson = lines.ToJsonString(), TextBytes = bytes } : batch;
    }
}
