using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Baton.Bench.Api;

/// <summary>What one wrk run measured, read from its text output (wrk 4 has no machine-readable output without a Lua script).</summary>
internal sealed record WrkReport(double RequestsPerSecond, long Requests, double BytesRead, double P50Ms, double P99Ms, long Non2xx, long SocketErrors);

/// <summary>
/// Runs Debian's wrk against one address with one header. Every run uses the same threads and connections,
/// so two addresses measured with it are measured alike. A run that saw a single error answer or socket
/// error throws: wrk counts a fast 401 or 429 as a request like any other, and such a figure measures nothing.
/// </summary>
internal static partial class Wrk
{
    public const int Threads = 2;
    public const int Connections = 32;

    /// <summary>The settings as a reader can repeat them (the figures' "compared with").</summary>
    public static string Settings(int seconds) => $"wrk -t{Threads} -c{Connections} -d{seconds}s --latency";

    public static async Task<WrkReport> RunAsync(string url, string? authorization, int seconds)
    {
        var start = new ProcessStartInfo("wrk")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { $"-t{Threads}", $"-c{Connections}", $"-d{seconds}s", "--latency" })
        {
            start.ArgumentList.Add(argument);
        }
        if (authorization is not null)
        {
            start.ArgumentList.Add("-H");
            start.ArgumentList.Add($"Authorization: {authorization}");
        }
        start.ArgumentList.Add(url);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("wrk did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        // wrk stops itself after its duration; the margin covers its start and the last requests' 2 s timeout.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(seconds + 30));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"wrk against {url} did not end {seconds + 30} s after it started");
        }
        var text = await output;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"wrk against {url} exited {process.ExitCode}: {await errors}{text}");
        }
        var report = Parse(text);
        if (report.Non2xx > 0 || report.SocketErrors > 0 || report.Requests == 0)
        {
            throw new InvalidOperationException(
                $"wrk against {url}: {report.Non2xx} error answers and {report.SocketErrors} socket errors in {report.Requests} requests; "
                + $"a figure with failures measures the failures, not the endpoint. wrk said:\n{text}");
        }
        return report;
    }

    /// <summary>Reads wrk's summary; a line it prints only when something went wrong counts as zero when absent.</summary>
    public static WrkReport Parse(string output)
    {
        var rate = Required(RequestsPerSecondLine(), output, "Requests/sec");
        var total = Required(TotalLine(), output, "requests in");
        var sockets = SocketErrorsLine().Match(output);
        var non2xx = Non2xxLine().Match(output);
        return new WrkReport(
            Number(rate.Groups["value"].Value),
            long.Parse(total.Groups["requests"].Value, CultureInfo.InvariantCulture),
            Bytes(total.Groups["read"].Value, total.Groups["unit"].Value),
            Milliseconds(Required(PercentileLine(), output, "50%", "50").Groups),
            Milliseconds(Required(PercentileLine(), output, "99%", "99").Groups),
            non2xx.Success ? long.Parse(non2xx.Groups["count"].Value, CultureInfo.InvariantCulture) : 0,
            sockets.Success ? sockets.Groups.Values.Skip(1).Sum(g => long.Parse(g.Value, CultureInfo.InvariantCulture)) : 0);
    }

    private static Match Required(Regex pattern, string output, string what, string? percentile = null)
    {
        var match = pattern.Matches(output).FirstOrDefault(m => percentile is null || m.Groups["percentile"].Value == percentile);
        return match ?? throw new FormatException($"wrk's output has no \"{what}\" line (was --latency given?):\n{output}");
    }

    private static double Milliseconds(GroupCollection groups)
    {
        var value = Number(groups["value"].Value);
        return groups["unit"].Value switch
        {
            "us" => value / 1000,
            "ms" => value,
            "s" => value * 1000,
            "m" => value * 60_000,
            var unit => throw new FormatException($"wrk latency unit \"{unit}\" is unknown"),
        };
    }

    /// <summary>wrk's sizes are binary (1 KB = 1024 B), rounded to two decimals.</summary>
    private static double Bytes(string value, string unit) => Number(value) * unit switch
    {
        "B" => 1,
        "KB" => 1024,
        "MB" => 1024 * 1024,
        "GB" => 1024.0 * 1024 * 1024,
        _ => throw new FormatException($"wrk size unit \"{unit}\" is unknown"),
    };

    private static double Number(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^Requests/sec:\s+(?<value>[0-9.]+)", RegexOptions.Multiline)]
    private static partial Regex RequestsPerSecondLine();

    [GeneratedRegex(@"^\s*(?<requests>\d+) requests in [0-9.]+\w+, (?<read>[0-9.]+)(?<unit>[KMG]?B) read", RegexOptions.Multiline)]
    private static partial Regex TotalLine();

    [GeneratedRegex(@"^\s*(?<percentile>\d+)%\s+(?<value>[0-9.]+)(?<unit>us|ms|s|m)\s*$", RegexOptions.Multiline)]
    private static partial Regex PercentileLine();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketErrorsLine();

    [GeneratedRegex(@"Non-2xx or 3xx responses: (?<count>\d+)")]
    private static partial Regex Non2xxLine();
}
