using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Baton.Bench.Execution;

/// <summary>One measured figure, as bench/results/latest.json holds it.</summary>
internal sealed record BenchResult(string Name, double Value, string Unit, string Goal, string ComparedWith)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        // A file for people and scripts, never embedded in HTML: "<=" reads better than "\u003C=".
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        // A figure a bench could not take is NaN; without this the whole file would fail to write.
        NumberHandling = JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Writes the file anew: the figures, when, and on what machine (so a figure is never read without its context).</summary>
    public static void Write(string path, IReadOnlyList<BenchResult> results)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var document = new BenchResults(
            TimeProvider.System.GetUtcNow().ToString("u", CultureInfo.InvariantCulture),
            new BenchMachine(
                Environment.ProcessorCount,
                Math.Round(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024), 1),
                RuntimeInformation.OSDescription,
                RuntimeInformation.FrameworkDescription),
            results);
        File.WriteAllText(path, JsonSerializer.Serialize(document, Json));
    }

    /// <summary>Writes <paramref name="results"/> into the file, replacing figures of the same name and keeping the others.</summary>
    public static void Merge(string path, IReadOnlyList<BenchResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var kept = File.Exists(path) ? Read(path).Results.Where(r => results.All(n => n.Name != r.Name)) : [];
        Write(path, [.. kept, .. results]);
    }

    /// <summary>The whole file, for the report; files written before the OS and runtime were recorded read with those null.</summary>
    public static BenchResults Read(string path) =>
        JsonSerializer.Deserialize<BenchResults>(File.ReadAllText(path), Json)
        ?? throw new InvalidDataException($"{path} holds no benchmark results");

    public static void Print(IReadOnlyList<BenchResult> results)
    {
        Console.WriteLine($"{"metric",-38} {"value",12} {"unit",-8} {"goal",-14} compared with");
        foreach (var r in results)
        {
            Console.WriteLine($"{r.Name,-38} {r.Value,12:0.###} {r.Unit,-8} {r.Goal,-14} {r.ComparedWith}");
        }
    }
}

/// <summary>The results file as a whole: <c>{date, machine, results[]}</c>.</summary>
internal sealed record BenchResults(string Date, BenchMachine Machine, IReadOnlyList<BenchResult> Results);

/// <summary>What the figures were measured on; <see cref="Os"/> and <see cref="Runtime"/> are null in files from before they were recorded.</summary>
internal sealed record BenchMachine(int Cores, double MemoryGiB, string? Os = null, string? Runtime = null);
