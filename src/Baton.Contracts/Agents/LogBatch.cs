using System.Text.Json.Serialization;

namespace Baton.Contracts.Agents;

/// <summary>
/// Log lines an agent sends for one run (DESIGN.md section 4): <c>{epoch, seq, lines:[{n, ts, step, stream, text}]}</c>.
/// The server stores a batch once per <see cref="Seq"/>, so a retried batch is harmless.
/// </summary>
public sealed record LogBatch(long Epoch, long Seq, IReadOnlyList<LogBatchLine> Lines);

/// <summary>One line: <see cref="N"/> is its number in the run, dense from 1, given by the agent.</summary>
public sealed record LogBatchLine(
    long N,
    DateTimeOffset Ts,
    int? Step,
    [property: JsonPropertyName("stream")] LogSourceName Source,
    string Text);

/// <summary>Which output a line came from; "system" lines are Baton's own.</summary>
public enum LogSourceName
{
    Stdout,
    Stderr,
    System,
}
