using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Baton.Core.Secrets;

namespace Baton.Bench;

/// <summary>
/// Lines per second through <see cref="SecretMasker.Apply(string)"/>, in process, for a project with 1, 10
/// and 100 secrets (the most a project may have): typical build output without secrets, and output where
/// one line in ten holds one. The agent masks every line it sends, the server every line it stores.
/// </summary>
internal static class SecretMaskerBench
{
    private const int Lines = 1_000_000;

    public static int Run()
    {
        Console.WriteLine($"{"secrets",8} {"lines",10} {"clean lines/s",15} {"1-in-10 lines/s",16} {"build ms",9}");
        foreach (var count in new[] { 1, 10, 100 })
        {
            var values = Enumerable.Range(0, count).Select(_ => Convert.ToBase64String(RandomNumberGenerator.GetBytes(24))).ToList();
            var started = Stopwatch.GetTimestamp();
            var masker = new SecretMasker(values);
            var build = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var clean = Enumerable.Range(0, 1000).Select(i => $"  Compiling src/Module{i}/File{i}.cs -> obj/Release/net10.0/Module{i}.dll ({i} warnings)").ToArray();
            var dirty = clean.Select((line, i) => i % 10 == 0 ? $"{line} token={values[i % count]}" : line).ToArray();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{count,8} {Lines,10:N0} {Rate(masker, clean),15:N0} {Rate(masker, dirty),16:N0} {build,9:0.0}"));
        }
        return 0;
    }

    private static double Rate(SecretMasker masker, string[] lines)
    {
        var masked = 0;
        for (var i = 0; i < 100_000; i++)
        {
            masked += masker.Apply(lines[i % lines.Length]).Length;
        }
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < Lines; i++)
        {
            masked += masker.Apply(lines[i % lines.Length]).Length;
        }
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        GC.KeepAlive(masked);
        return Lines / seconds;
    }
}
