using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Baton.Bench.Execution;

namespace Baton.Bench.Report;

/// <summary>One figure with its verdict: met, missed, or null when its goal cannot be evaluated (or it has none).</summary>
internal sealed record ReportRow(BenchResult Result, bool? Met)
{
    public string Value => double.IsNaN(Result.Value) ? "n/a" : Result.Value.ToString("0.###", CultureInfo.InvariantCulture);

    public string Verdict => Met switch { true => "yes", false => "no", null => "" };
}

/// <summary>
/// The generated part of docs/BENCHMARKS.md: the latest figures in one table, between two markers. Only
/// what lies between the markers is ever rewritten, so the hand-written sections (the reading of the
/// figures, the comparisons over time) stay exactly as their authors left them.
/// </summary>
internal static class SummaryBlock
{
    public const string Start = "<!-- bench:summary:start -->";
    public const string End = "<!-- bench:summary:end -->";

    public static string Render(BenchResults file, string resultsPath, IReadOnlyList<ReportRow> rows)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(rows);
        var evaluated = rows.Count(r => r.Met is not null);
        var text = new StringBuilder();
        text.Append('\n');
        text.Append(CultureInfo.InvariantCulture, $"<!-- Written by `Baton.Bench report` from {resultsPath}; edits between these markers are overwritten. -->\n");
        text.Append("## Latest `make bench`\n\n");
        text.Append(CultureInfo.InvariantCulture, $"Figures as of {file.Date} (the last bench to write them), on {Machine(file.Machine)}. ");
        text.Append(CultureInfo.InvariantCulture, $"{rows.Count(r => r.Met == true)} of {evaluated} goals met");
        text.Append(evaluated < rows.Count(r => r.Result.Goal.Length > 0) ? "; a blank \"met\" beside a goal means the report cannot evaluate it.\n\n" : ".\n\n");
        text.Append("| metric | value | unit | goal | met | compared with |\n");
        text.Append("|---|---:|---|---|---|---|\n");
        foreach (var row in rows)
        {
            var r = row.Result;
            text.Append(CultureInfo.InvariantCulture,
                $"| {Cell(r.Name)} | {row.Value} | {Cell(r.Unit)} | {Cell(r.Goal)} | {row.Verdict} | {Cell(r.ComparedWith)} |\n");
        }
        text.Append('\n');
        return text.ToString();
    }

    /// <summary>
    /// <paramref name="document"/> with <paramref name="block"/> between the markers. Without markers, they are put
    /// after the intro paragraph (the first paragraph under the title); with only one, or in the wrong order, it throws
    /// rather than guess where a hand-written section ends.
    /// </summary>
    public static string Rewrite(string document, string block)
    {
        ArgumentNullException.ThrowIfNull(document);
        var start = document.IndexOf(Start, StringComparison.Ordinal);
        var end = document.IndexOf(End, StringComparison.Ordinal);
        if (start >= 0 && end > start && document.IndexOf(Start, start + 1, StringComparison.Ordinal) < 0)
        {
            var inside = start + Start.Length;
            return string.Concat(document.AsSpan(0, inside), block, document.AsSpan(end));
        }
        if (start >= 0 || end >= 0)
        {
            throw new InvalidDataException($"the document has {Start} and {End} out of order, twice or alone; fix them by hand");
        }
        var at = AfterIntro(document);
        return string.Concat(document.AsSpan(0, at), $"{Start}{block}{End}\n\n", document.AsSpan(at));
    }

    /// <summary>The offset just past the blank line that ends the first paragraph after the title.</summary>
    private static int AfterIntro(string document)
    {
        var lines = document.Split('\n');
        var offset = 0;
        var seenTitle = false;
        var inParagraph = false;
        foreach (var line in lines)
        {
            var next = offset + line.Length + 1;
            if (!seenTitle)
            {
                seenTitle = line.StartsWith("# ", StringComparison.Ordinal);
            }
            else if (line.Trim().Length > 0)
            {
                inParagraph = true;
            }
            else if (inParagraph)
            {
                return Math.Min(next, document.Length);
            }
            offset = next;
        }
        throw new InvalidDataException("the document has no title and intro paragraph to put the summary after");
    }

    private static string Machine(BenchMachine machine)
    {
        var cores = string.Create(CultureInfo.InvariantCulture, $"{machine.Cores} cores, {machine.MemoryGiB:0.#} GiB");
        return machine.Os is not null
            ? $"{cores}, {machine.Os}, {machine.Runtime}"
            : $"{cores}, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription} (read by the report: the results file predates recording them)";
    }

    /// <summary>A table cell: a '|' would end it.</summary>
    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);
}
