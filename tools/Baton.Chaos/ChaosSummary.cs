using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Baton.Chaos.Checking;
using Baton.Chaos.Faults;

namespace Baton.Chaos;

/// <summary>The result as a person reads it: the four counts first, then the faults and how long each took to heal.</summary>
public static class ChaosSummary
{
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static void Write(ChaosResult result, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(writer);
        var check = result.Check;
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"chaos: {check.Runs} runs from {check.Requests} requests ({check.Indeterminate} never acknowledged) in {result.ChaosSeconds + result.DrainSeconds:F0} s ({result.RunsPerSecond:F1} runs/s); {result.Faults.Count} faults"));
        writer.WriteLine("runs by status: " + string.Join(", ", check.RunsByStatus.Select(pair => $"{pair.Key} {pair.Value}"))
            + $"; attempts fenced off by the reaper: {check.Fences}");
        foreach (var kind in Enum.GetValues<FaultKind>())
        {
            var recoveries = result.Faults.Where(fault => fault.Kind == kind && fault.RecoverySeconds is not null)
                .Select(fault => fault.RecoverySeconds!.Value).ToList();
            var figures = recoveries.Count == 0 ? "none recovered"
                : string.Create(CultureInfo.InvariantCulture, $"recovery min {recoveries.Min():F1} s, mean {recoveries.Average():F1} s, max {recoveries.Max():F1} s");
            writer.WriteLine($"  {kind}: {result.Faults.Count(fault => fault.Kind == kind)}, {figures}");
        }
        foreach (var note in result.Faults.Where(fault => fault.Note is not null))
        {
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {note.Kind} {note.Target} at {note.AtSeconds:F0} s: {note.Note}"));
        }
        Category(writer, "lost", check.Lost);
        Category(writer, "duplicated", check.Duplicated);
        Category(writer, "log gaps", check.LogGaps);
        Category(writer, "stuck", check.Stuck);
        writer.WriteLine(check.Valid ? "checker: valid (all four zero)" : "checker: INVALID");
    }

    private static void Category(TextWriter writer, string name, IReadOnlyList<Finding> findings)
    {
        writer.WriteLine($"{name,-11} {findings.Count}");
        foreach (var finding in findings.Take(10))
        {
            writer.WriteLine($"  {finding.Subject}: {finding.Detail}");
        }
    }
}
