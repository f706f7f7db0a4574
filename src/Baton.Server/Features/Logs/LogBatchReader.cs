using System.Text;
using System.Text.Json;
using Baton.Server.Infrastructure.Errors;

namespace Baton.Server.Features.Logs;

/// <summary>
/// A log batch as the server stores it: its numbers, checked, and its lines exactly as the agent
/// sent them (the JSON array), so the lines are neither materialised as objects nor serialised
/// again on the hottest path of ingestion.
/// </summary>
public sealed record IncomingLogBatch(long Epoch, long Seq, long FirstLine, long LastLine, long TextBytes, string LinesJson);

/// <summary>
/// Reads <c>{epoch, seq, lines:[{n, ts, step, stream, text}]}</c> with a forward-only reader,
/// with the same rules as the JSON contract (no unknown members, every field of the right type)
/// and the ingestion rules (dense numbering, line length, step index), naming the field at fault.
/// A NUL character (<c>\u0000</c>, binary output) becomes U+FFFD, as invalid UTF-8 does at the
/// agent: PostgreSQL's text and jsonb cannot hold NUL, and the search index casts lines to jsonb.
/// </summary>
public static class LogBatchReader
{
    public static Outcome<IncomingLogBatch> Read(ReadOnlyMemory<byte> body)
    {
        try
        {
            return Parse(body.Span, body);
        }
        catch (JsonException exception)
        {
            return Failure.Invalid("body", $"not a log batch: {exception.Message}");
        }
    }

    private static Outcome<IncomingLogBatch> Parse(ReadOnlySpan<byte> json, ReadOnlyMemory<byte> body)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 8 });
        Expect(ref reader, JsonTokenType.StartObject, "the body");
        long? epoch = null, seq = null;
        LinesSummary? lines = null;
        string? linesJson = null;
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("epoch"u8))
            {
                epoch = Number(ref reader, "epoch");
            }
            else if (reader.ValueTextEquals("seq"u8))
            {
                seq = Number(ref reader, "seq");
            }
            else if (reader.ValueTextEquals("lines"u8))
            {
                Expect(ref reader, JsonTokenType.StartArray, "lines");
                var start = (int)reader.TokenStartIndex;
                var summary = Lines(ref reader);
                if (summary.Failure is { } invalid)
                {
                    return invalid;
                }
                lines = summary.Value;
                linesJson = Encoding.UTF8.GetString(body.Span[start..(int)(reader.TokenStartIndex + 1)]);
                if (lines!.HasNul)
                {
                    linesJson = WithoutNul(linesJson);
                }
            }
            else
            {
                return Failure.Invalid(reader.GetString()!, $"'{reader.GetString()}' is not a member of a log batch");
            }
        }
        var errors = new FieldErrors();
        if (epoch is null)
        {
            errors.Add("epoch", "'epoch' is required");
        }
        if (seq is not >= 1)
        {
            errors.Add("seq", "'seq' is required and starts at 1 for each lease epoch");
        }
        if (lines is not { Count: > 0 })
        {
            errors.Add("lines", "a batch needs at least one line");
        }
        if (errors.Any)
        {
            return errors.ToFailure();
        }
        return new IncomingLogBatch(epoch!.Value, seq!.Value, lines!.First, lines.First + lines.Count - 1, lines.TextBytes, linesJson!);
    }

    private sealed record LinesSummary(long First, int Count, long TextBytes, bool HasNul);

    /// <summary>The rare path: the lines again, each NUL in a text replaced by U+FFFD (the bytes were counted so already).</summary>
    private static string WithoutNul(string linesJson) =>
        LogLineTexts.Rewrite(linesJson, text => text.Replace('\0', '\uFFFD'))?.Json ?? linesJson;

    private static Outcome<LinesSummary> Lines(ref Utf8JsonReader reader)
    {
        long first = 0, bytes = 0;
        var count = 0;
        var hasNul = false;
        while (Next(ref reader) == JsonTokenType.StartObject)
        {
            var at = $"lines[{count}]";
            long? n = null;
            var hasTs = false;
            var hasStream = false;
            var hasText = false;
            while (Next(ref reader) == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("n"u8))
                {
                    n = Number(ref reader, $"{at}.n");
                }
                else if (reader.ValueTextEquals("ts"u8))
                {
                    Expect(ref reader, JsonTokenType.String, $"{at}.ts");
                    if (!reader.TryGetDateTimeOffset(out _))
                    {
                        return Failure.Invalid($"{at}.ts", "ts must be an ISO 8601 timestamp");
                    }
                    hasTs = true;
                }
                else if (reader.ValueTextEquals("step"u8))
                {
                    if (Next(ref reader) != JsonTokenType.Null && (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var step) || step < 0))
                    {
                        return Failure.Invalid($"{at}.step", "step is a zero-based step index or null");
                    }
                }
                else if (reader.ValueTextEquals("stream"u8))
                {
                    Expect(ref reader, JsonTokenType.String, $"{at}.stream");
                    if (!reader.ValueTextEquals("stdout"u8) && !reader.ValueTextEquals("stderr"u8) && !reader.ValueTextEquals("system"u8))
                    {
                        return Failure.Invalid($"{at}.stream", "stream must be stdout, stderr or system");
                    }
                    hasStream = true;
                }
                else if (reader.ValueTextEquals("text"u8))
                {
                    Expect(ref reader, JsonTokenType.String, $"{at}.text");
                    var length = reader.ValueSpan.Length;
                    if (reader.ValueIsEscaped)
                    {
                        var text = reader.GetString()!;
                        var nuls = text.Count(c => c == '\0');
                        hasNul |= nuls > 0;
                        // Each NUL (one byte) is stored as U+FFFD (three).
                        length = Encoding.UTF8.GetByteCount(text) + (2 * nuls);
                    }
                    if (length > LogIngestion.MaxLineBytes)
                    {
                        return Failure.Invalid($"{at}.text", $"a line is at most {LogIngestion.MaxLineBytes} bytes (the agent cuts longer lines)");
                    }
                    bytes += length;
                    hasText = true;
                }
                else
                {
                    return Failure.Invalid($"{at}.{reader.GetString()}", $"'{reader.GetString()}' is not a member of a log line");
                }
            }
            if (n is null || !hasTs || !hasStream || !hasText)
            {
                return Failure.Invalid(at, "a line needs n, ts, stream and text");
            }
            if (count == 0)
            {
                first = n.Value;
                if (first < 1)
                {
                    return Failure.Invalid($"{at}.n", "line numbers start at 1");
                }
            }
            else if (n != first + count)
            {
                return Failure.Invalid($"{at}.n", $"line numbers must be dense: expected {first + count}, got {n}");
            }
            if (++count > LogIngestion.MaxBatchLines)
            {
                return Failure.Invalid("lines", $"at most {LogIngestion.MaxBatchLines} lines per batch");
            }
        }
        if (reader.TokenType != JsonTokenType.EndArray)
        {
            throw new JsonException("'lines' must be an array of objects");
        }
        return new LinesSummary(first, count, bytes, hasNul);
    }

    private static JsonTokenType Next(ref Utf8JsonReader reader) =>
        reader.Read() ? reader.TokenType : throw new JsonException("the body ends too early");

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type, string what)
    {
        if (Next(ref reader) != type)
        {
            throw new JsonException($"{what} must be {(type == JsonTokenType.StartObject ? "an object" : type == JsonTokenType.StartArray ? "an array" : type.ToString().ToLowerInvariant())}");
        }
    }

    private static long Number(ref Utf8JsonReader reader, string what) =>
        Next(ref reader) == JsonTokenType.Number && reader.TryGetInt64(out var value) ? value : throw new JsonException($"{what} must be an integer");
}
