using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Baton.Bench.Execution;
using Baton.Bench.Shared;

namespace Baton.Bench.Api;

/// <summary>
/// Requests per second of an API read (a finished run's detail, as the UI and scripts read it) against the
/// cheapest answer the same server gives (the liveness probe), both with the same wrk settings, one after the
/// other. The ratio says how much of the server's request budget a real read spends on Baton's own work
/// (authentication, authorization, the database, the DTO) rather than on HTTP itself.
/// </summary>
internal static class ApiBench
{
    private const int WarmUpBatchSeconds = 2;
    private const string TrueRecipe = "steps:\n  - name: nothing\n    run: 'true'\n";

    /// <param name="warmUpSeconds">At most this long warming each address (<see cref="WarmUp"/>); a quick look passes less and measures colder.</param>
    public static async Task<int> RunAsync(string batonDll, string postgres, int seconds, string resultsPath, int warmUpSeconds)
    {
        var warmUpLimit = TimeSpan.FromSeconds(warmUpSeconds);
        await using var bench = await BenchDatabase.CreateAsync(postgres);
        // A block of its own: the cluster stops before its database is dropped.
        {
            // wrk would otherwise measure the limiter's 429s within a second.
            await using var cluster = await BenchCluster.StartAsync(batonDll, bench.ConnectionString, agents: 1, capacity: 1, unlimitedToken: true);
            var runId = await FinishedRunAsync(cluster);
            var statementsBefore = await bench.ReadStatementsAsync();
            var detail = await MeasureAsync(cluster, $"/api/runs/{runId}", $"Bearer {BenchCluster.AdminToken}", seconds, warmUpLimit);
            var statementsAfter = await bench.ReadStatementsAsync();
            await PrintTopStatementsAsync(bench);
            var live = await MeasureAsync(cluster, "/healthz/live", authorization: null, seconds, warmUpLimit);
            var results = Results(detail, live, seconds, statementsAfter - statementsBefore);
            BenchResult.Print(results);
            BenchResult.Merge(resultsPath, results);
        }
        return 0;
    }

    /// <summary>One run of <c>true</c> that has ended (succeeded), so its detail no longer changes while it is read.</summary>
    private static async Task<long> FinishedRunAsync(BenchCluster cluster)
    {
        var (project, item) = await cluster.WorkItemAsync(TrueRecipe);
        var id = await cluster.StartRunAsync(project, item);
        var run = await cluster.WaitForEndAsync(id);
        var status = run.GetProperty("status").GetString();
        return status == "succeeded" ? id : throw new InvalidOperationException($"the bench run {id} ended {status}, not succeeded");
    }

    /// <summary>
    /// The measured wrk run, every request sent to the address (the check, the warm-up and the run), and the server
    /// process's CPU time per measured request: unlike requests/s, that does not depend on what else shares the cores.
    /// </summary>
    private sealed record Measured(WrkReport Report, int BodyBytes, long RequestsSent, double ServerCpuMs);

    /// <summary>
    /// One request by hand first (a 200 with a body, no redirect), a warm-up with wrk until the server's JIT has settled
    /// (<see cref="WarmUp"/>: with a fixed 3 s, the measured run was still mostly tiered compilation), then the measured
    /// wrk run. wrk counts a 3xx as a success, so the bytes it read per answer must be at least the body of that first
    /// 200: a redirect or an empty answer would be far smaller.
    /// </summary>
    private static async Task<Measured> MeasureAsync(BenchCluster cluster, string path, string? authorization, int seconds, TimeSpan warmUpLimit)
    {
        var body = await CheckedBodyAsync(cluster.Url + path, authorization);
        long warmUpRequests = 0;
        var warm = await WarmUp.UntilJitSettlesAsync(
            async () => warmUpRequests += (await Wrk.RunAsync(cluster.Url + path, authorization, WarmUpBatchSeconds)).Requests,
            cluster.JitCompiledMethodsAsync, warmUpLimit);
        Console.WriteLine($"{path}: warm-up {warm.Elapsed.TotalSeconds:0} s, JIT {(warm.Settled ? "settled" : "not settled")}");
        var cpuBefore = ServerCpu(cluster);
        var report = await Wrk.RunAsync(cluster.Url + path, authorization, seconds);
        var cpuMs = (ServerCpu(cluster) - cpuBefore).TotalMilliseconds / report.Requests;
        var perAnswer = report.BytesRead / report.Requests;
        // wrk rounds its byte count to two decimals of its unit; 2% covers that and nothing else.
        if (perAnswer < body.Length * 0.98)
        {
            throw new InvalidOperationException(
                $"{path}: wrk read {perAnswer:0} bytes per answer, less than the {body.Length}-byte body of a 200; the answers were not that 200");
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{path}: {report.RequestsPerSecond:0} req/s, p50 {report.P50Ms:0.00} ms, p99 {report.P99Ms:0.00} ms, {perAnswer:0} bytes per answer, server CPU {cpuMs:0.000} ms per request"));
        return new Measured(report, body.Length, 1 + warmUpRequests + report.Requests, cpuMs);
    }

    private static TimeSpan ServerCpu(BenchCluster cluster)
    {
        cluster.Server.Refresh();
        return cluster.Server.TotalProcessorTime;
    }

    private static async Task<byte[]> CheckedBodyAsync(string url, string? authorization)
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (authorization is not null)
        {
            request.Headers.Authorization = AuthenticationHeaderValue.Parse(authorization);
        }
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsByteArrayAsync();
        return response.StatusCode == HttpStatusCode.OK && body.Length > 0
            ? body
            : throw new InvalidOperationException($"GET {url} answered {(int)response.StatusCode} with {body.Length} bytes; wrk would measure that answer");
    }

    /// <summary>What the database ran most (nearly all of it for runs/{id} by now), for whoever looks for what a read costs.</summary>
    private static async Task PrintTopStatementsAsync(BenchDatabase bench)
    {
        foreach (var (calls, query) in await bench.TopStatementsAsync(8))
        {
            var line = query.ReplaceLineEndings(" ");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{calls,8}  {(line.Length > 160 ? line[..160] + "..." : line)}"));
        }
    }

    private static List<BenchResult> Results(Measured detail, Measured live, int seconds, long? statements)
    {
        var settings = Wrk.Settings(seconds);
        var (d, l) = (detail.Report, live.Report);
        var results = new List<BenchResult>
        {
            new("api: GET /api/runs/{id} req/s", Math.Round(d.RequestsPerSecond), "req/s", "",
                $"{settings}, admin token, a finished one-step run ({detail.BodyBytes} B), PostgreSQL, wrk on the same 2 cores"),
            new("api: GET /healthz/live req/s", Math.Round(l.RequestsPerSecond), "req/s", "", $"{settings}, no token, same server"),
            new("api: runs/{id} / healthz ratio", Math.Round(d.RequestsPerSecond / l.RequestsPerSecond, 2), "x", ">= 0.5",
                "GET /healthz/live on the same server, same wrk settings"),
            new("api: GET /api/runs/{id} p50", Math.Round(d.P50Ms, 2), "ms", "", $"wrk latency distribution, {Wrk.Connections} connections"),
            new("api: GET /api/runs/{id} p99", Math.Round(d.P99Ms, 2), "ms", "", $"wrk latency distribution, {Wrk.Connections} connections"),
            new("api: GET /healthz/live p50", Math.Round(l.P50Ms, 2), "ms", "", $"wrk latency distribution, {Wrk.Connections} connections"),
            new("api: GET /healthz/live p99", Math.Round(l.P99Ms, 2), "ms", "", $"wrk latency distribution, {Wrk.Connections} connections"),
            new("api: server CPU per GET /api/runs/{id}", Math.Round(detail.ServerCpuMs, 3), "ms", "",
                "user + system time of the server process over the measured run / requests (PostgreSQL's own time not included)"),
            new("api: server CPU per GET /healthz/live", Math.Round(live.ServerCpuMs, 3), "ms", "", "same, for the liveness probe"),
        };
        if (statements is { } count)
        {
            results.Add(new("api: db statements per GET /api/runs/{id}", Math.Round(count / (double)detail.RequestsSent, 2), "statements", "",
                "pg_stat_statements, everything the server ran while runs/{id} was read (check, warm-up, measured run)"));
        }
        return results;
    }
}
