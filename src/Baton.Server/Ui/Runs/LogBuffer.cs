using System.Text.RegularExpressions;
using Baton.Contracts.Agents;
using Baton.Contracts.Runs;
using Baton.Server.Features.Runs;

namespace Baton.Server.Ui.Runs;

/// <summary>A stored line as the pane shows it: converted once when it arrives, never again.</summary>
public sealed record LogLineView(long N, DateTimeOffset Ts, int? Step, LogSourceName Source, string Text, string Plain, string Html)
{
    public static LogLineView From(LogBatchLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        return new(line.N, line.Ts, line.Step, line.Source, line.Text, AnsiHtml.PlainText(line.Text), AnsiHtml.ToHtml(line.Text));
    }
}

/// <summary>Up to <see cref="LogBuffer.ChunkSize"/> consecutive lines of the pane's view; once full it never changes.</summary>
public sealed class LogChunkModel(int key)
{
    public int Key { get; } = key;
    public List<LogLineView> Lines { get; } = new(LogBuffer.ChunkSize);
}

/// <summary>One occurrence of the search text: its line and where in the line's visible text.</summary>
public readonly record struct LogMatch(long Line, int Start, int Length);

/// <summary>
/// What the log pane holds: the lines read so far (at most <see cref="Cap"/>; older ones are dropped and counted), the view a
/// step filter leaves, cut into fixed chunks so new lines only touch the last one, and the search's matches over that view.
/// </summary>
public sealed partial class LogBuffer(int cap = LogBuffer.DefaultCap)
{
    public const int ChunkSize = 500;
    public const int DefaultCap = 20_000;
    private readonly List<LogLineView> _all = [];
    private int _nextKey;

    public int Cap { get; } = Math.Max(cap, ChunkSize * 2);
    public long Dropped { get; private set; }
    public int Count => _all.Count;
    public List<LogChunkModel> Chunks { get; } = [];

    /// <summary>The step shown (zero-based); null for every line, <see cref="NoStep"/> for Baton's own lines outside steps.</summary>
    public int? Step { get; private set; }
    public const int NoStep = -1;

    public string Search { get; private set; } = "";
    public List<LogMatch> Matches { get; } = [];
    /// <summary>The match the person moved to (an index into <see cref="Matches"/>), -1 for none.</summary>
    public int Current { get; private set; } = -1;
    public LogMatch? CurrentMatch => Current >= 0 && Current < Matches.Count ? Matches[Current] : null;

    public void Append(IEnumerable<LogBatchLine> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        foreach (var line in lines)
        {
            var view = LogLineView.From(line);
            _all.Add(view);
            if (Keeps(view))
            {
                Show(view);
            }
        }
        if (_all.Count > Cap)
        {
            DropOldest();
        }
    }

    public void FilterStep(int? step)
    {
        Step = step;
        Chunks.Clear();
        Matches.Clear();
        foreach (var line in _all.Where(Keeps))
        {
            Show(line);
        }
        Current = Matches.Count > 0 ? 0 : -1;
    }

    public void SetSearch(string? text)
    {
        Search = text ?? "";
        Matches.Clear();
        foreach (var line in Chunks.SelectMany(c => c.Lines))
        {
            AddMatches(line);
        }
        Current = Matches.Count > 0 ? 0 : -1;
    }

    /// <summary>Moves to the next (<paramref name="by"/> 1) or previous (-1) match, round the end.</summary>
    public void Move(int by)
    {
        if (Matches.Count > 0)
        {
            Current = ((Current < 0 ? 0 : Current + by) % Matches.Count + Matches.Count) % Matches.Count;
        }
    }

    /// <summary>
    /// The first error: the first stderr line of the first step that failed or timed out (where its own output says what went
    /// wrong), else the first line holding the word "error" or "failed" in any case; among the lines the pane still holds.
    /// </summary>
    public LogLineView? FirstError(IReadOnlyList<RunStepDto> steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        if (steps.FirstOrDefault(s => s.Status is StepStatus.Failed or StepStatus.TimedOut) is { } failed
            && _all.FirstOrDefault(l => l.Step == failed.Index && l.Source == LogSourceName.Stderr) is { } line)
        {
            return line;
        }
        return _all.FirstOrDefault(l => ErrorWord().IsMatch(l.Plain));
    }

    /// <summary>The marks the search puts on a line (the current match flagged).</summary>
    public static IReadOnlyList<TextMark>? MarksOf(LogLineView line, string search, LogMatch? current)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (search.Length == 0)
        {
            return null;
        }
        List<TextMark>? marks = null;
        for (var at = line.Plain.IndexOf(search, StringComparison.OrdinalIgnoreCase); at >= 0;
             at = line.Plain.IndexOf(search, at + search.Length, StringComparison.OrdinalIgnoreCase))
        {
            (marks ??= []).Add(new TextMark(at, search.Length, current is { } c && c.Line == line.N && c.Start == at));
        }
        return marks;
    }

    private bool Keeps(LogLineView line) => Step is null || (Step == NoStep ? line.Step is null : line.Step == Step);

    private void Show(LogLineView line)
    {
        if (Chunks.Count == 0 || Chunks[^1].Lines.Count == ChunkSize)
        {
            Chunks.Add(new LogChunkModel(_nextKey++));
        }
        Chunks[^1].Lines.Add(line);
        AddMatches(line);
    }

    private void AddMatches(LogLineView line)
    {
        foreach (var mark in MarksOf(line, Search, null) ?? [])
        {
            Matches.Add(new LogMatch(line.N, mark.Start, mark.Length));
        }
    }

    // A chunk's worth at a time: in the unfiltered view that is exactly the first chunk, which goes without touching the others.
    private void DropOldest()
    {
        var drop = Math.Max(ChunkSize, _all.Count - Cap);
        Dropped += drop;
        _all.RemoveRange(0, drop);
        var first = _all[0].N;
        while (Chunks.Count > 0 && Chunks[0].Lines[^1].N < first)
        {
            Chunks.RemoveAt(0);
        }
        if (Chunks.Count > 0 && Chunks[0].Lines[0].N < first)
        {
            var rest = new LogChunkModel(_nextKey++);
            rest.Lines.AddRange(Chunks[0].Lines.Where(l => l.N >= first));
            Chunks[0] = rest;
        }
        var gone = Matches.FindLastIndex(m => m.Line < first) + 1;
        Matches.RemoveRange(0, gone);
        Current = Current < 0 ? -1 : Math.Max(Current - gone, 0);
        if (Matches.Count == 0)
        {
            Current = -1;
        }
    }

    [GeneratedRegex(@"\b(error|failed)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ErrorWord();
}
