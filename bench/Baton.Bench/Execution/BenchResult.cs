using System.Text.Json;

namespace Baton.Bench.Execution;

/// <summary>One measured figure, as bench/results/latest.json holds it.</summary>
internal sealed record BenchResult(string Name, double Value, string Unit, string Goal, string ComparedWith)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        // A file for people and scripts, never embedded in HTML: "<=" reads better than "\u003C=".
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void Write(string path, IReadOnlyList<BenchResult> results)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var document = new
        {
            date = TimeProvider.System.GetUtcNow().ToString("u", System.Globalization.CultureInfo.InvariantCulture),
            machine = new { cores = Environment.ProcessorCount, memoryGiB = Math.Round(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024), 1) },
            results,
        };
        File.WriteAllText(path, JsonSerializer.Serialize(document, Json));
    }

    /// <summary>Writes <paramref name="results"/> into the file, replacing figures of the same name and keeping the others.</summary>
    public static void Merge(string path, IReadOnlyList<BenchResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var kept = new List<BenchResult>();
        if (File.Exists(path))
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            kept.AddRange(document.RootElement.GetProperty("results").EnumerateArray()
                .Select(r => r.Deserialize<BenchResult>(Json)!)
                .Where(r => results.All(n => n.Name != r.Name)));
        }
        Write(path, [.. kept, .. results]);
    }

    public static void Print(IReadOnlyList<BenchResult> results)
    {
        Console.WriteLine($"{"metric",-38} {"value",12} {"unit",-8} {"goal",-14} compared with");
        foreach (var r in results)
        {
            Console.WriteLine($"{r.Name,-38} {r.Value,12:0.###} {r.Unit,-8} {r.Goal,-14} {r.ComparedWith}");
        }
    }
}
