using System.Globalization;
using Baton.Bench.Execution;

namespace Baton.Bench.Report;

/// <summary>
/// The end of <c>make bench</c>: every figure of the results file in one table with its goal and whether it was met,
/// printed, and written into the summary block of docs/BENCHMARKS.md. Each bench prints only its own figures; this
/// is the one place that shows them side by side. <c>--no-doc</c> instead of a document only prints (make bench-quick,
/// whose shorter runs must not stand in the doc as the figures).
/// </summary>
internal static class BenchReport
{
    public const string NoDoc = "--no-doc";

    public static int Run(string resultsPath, string document)
    {
        var file = BenchResult.Read(resultsPath);
        var rows = file.Results.Select(r => new ReportRow(r, Goal.Met(r, file.Results))).ToList();
        Print(file, resultsPath, rows);
        if (document != NoDoc)
        {
            var text = File.ReadAllText(document);
            var rewritten = SummaryBlock.Rewrite(text, SummaryBlock.Render(file, resultsPath, rows));
            if (rewritten != text)
            {
                File.WriteAllText(document, rewritten);
            }
            Console.WriteLine($"summary written to {document}");
        }
        return 0;
    }

    private static void Print(BenchResults file, string resultsPath, List<ReportRow> rows)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{resultsPath}: {file.Date}, {file.Machine.Cores} cores, {file.Machine.MemoryGiB:0.#} GiB; "
            + $"{rows.Count(r => r.Met == true)} of {rows.Count(r => r.Met is not null)} goals met"));
        var name = Width("metric", rows.Select(r => r.Result.Name));
        var value = Width("value", rows.Select(r => r.Value));
        var unit = Width("unit", rows.Select(r => r.Result.Unit));
        var goal = Width("goal", rows.Select(r => r.Result.Goal));
        Console.WriteLine($"{"metric".PadRight(name)}  {"value".PadLeft(value)}  {"unit".PadRight(unit)}  {"goal".PadRight(goal)}  met  compared with");
        foreach (var row in rows)
        {
            var r = row.Result;
            Console.WriteLine($"{r.Name.PadRight(name)}  {row.Value.PadLeft(value)}  {r.Unit.PadRight(unit)}  {r.Goal.PadRight(goal)}  {row.Verdict,-3}  {r.ComparedWith}");
        }
    }

    private static int Width(string header, IEnumerable<string> cells) => cells.Select(c => c.Length).Append(header.Length).Max();
}
