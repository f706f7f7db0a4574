using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace Baton.Bench.Execution;

/// <summary>
/// Execution figures of issue 3, measured on real processes: queue-to-start latency for an idle
/// agent, per-step overhead against a bash loop, and log ingestion rate and memory.
/// </summary>
internal static class ExecutionBench
{
    public static async Task<int> RunAsync(string batonDll, int latencyRuns, string resultsPath)
    {
        await using var cluster = await BenchCluster.StartAsync(batonDll);
        var results = new List<BenchResult>();
        results.AddRange(await QueueToStartAsync(cluster, latencyRuns));
        results.AddRange(await StepOverheadAsync(cluster));
        results.AddRange(await ExecutorBench.RunAsync());
        results.AddRange(await PlanChainBench.RunAsync(cluster, 200, bashPerStepMs: results.Single(r => r.Name.StartsWith("200 bash", StringComparison.Ordinal)).Value / 200));
        results.AddRange(await LogIngestionAsync(cluster));
        results.Add(new("agent peak memory", Math.Round(BenchCluster.PeakMegabytes(cluster.Agent), 1), "MB", "", "VmHWM of the agent process"));
        BenchResult.Print(results);
        BenchResult.Write(resultsPath, results);
        return 0;
    }

    /// <summary>The plan chain alone (for working on the scheduler): <c>Baton.Bench chain BATON_DLL [LINKS]</c>.</summary>
    public static async Task<int> ChainAsync(string batonDll, int links)
    {
        await using var cluster = await BenchCluster.StartAsync(batonDll);
        var bash = await BashLoopAsync(200);
        BenchResult.Print([.. await PlanChainBench.RunAsync(cluster, links, bash / 200)]);
        return 0;
    }

    /// <summary>Log ingestion alone (for working on the log path): <c>Baton.Bench logs BATON_DLL [TIMES]</c>.</summary>
    public static async Task<int> LogsAsync(string batonDll, int times)
    {
        await using var cluster = await BenchCluster.StartAsync(batonDll);
        for (var i = 0; i < times; i++)
        {
            BenchResult.Print([.. await LogIngestionAsync(cluster)]);
        }
        return 0;
    }

    /// <summary>
    /// One run at a time, so the agent is always idle and waiting in its long poll when the run is
    /// queued. "claim" is queued -> claimed (server clock); "start" is queued -> first step's process
    /// started (the agent's clock, same machine).
    /// </summary>
    private static async Task<IEnumerable<BenchResult>> QueueToStartAsync(BenchCluster cluster, int runs)
    {
        var (project, item) = await cluster.WorkItemAsync("steps:\n  - name: nothing\n    run: 'true'\n");
        // Warm-up: JIT, connection pools, SQLite pages.
        for (var i = 0; i < 20; i++)
        {
            await cluster.WaitForEndAsync(await cluster.StartRunAsync(project, item));
        }
        var claim = new List<double>();
        var start = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var run = await cluster.WaitForEndAsync(await cluster.StartRunAsync(project, item));
            var queued = Time(run, "queuedAt");
            claim.Add((Time(run, "startedAt") - queued).TotalMilliseconds);
            start.Add((Time(run.GetProperty("steps")[0], "startedAt") - queued).TotalMilliseconds);
        }
        return
        [
            new("queue-to-start p50 (step started)", Percentile(start, 50), "ms", "<= 3 ms", $"{runs} runs, idle agent; graphile-worker ~4 ms"),
            new("queue-to-start p99 (step started)", Percentile(start, 99), "ms", "<= 15 ms", $"{runs} runs, idle agent"),
            new("queue-to-claim p50", Percentile(claim, 50), "ms", "", "queued -> claimed, server clock"),
            new("queue-to-claim p99", Percentile(claim, 99), "ms", "", "queued -> claimed, server clock"),
        ];
    }

    /// <summary>200 `true` steps in one run, against a bash loop starting 200 `bash -e -o pipefail -c true`.</summary>
    private static async Task<IEnumerable<BenchResult>> StepOverheadAsync(BenchCluster cluster)
    {
        const int Steps = 200;
        var yaml = "steps:\n" + string.Concat(Enumerable.Range(1, Steps).Select(i => $"  - name: s{i}\n    run: 'true'\n"));
        var (project, item) = await cluster.WorkItemAsync(yaml);
        await cluster.WaitForEndAsync(await cluster.StartRunAsync(project, item));
        // Every form of the agent's step call: the batched one and the one-step one agents made before it.
        var stepCallsBefore = await cluster.RequestsAsync("PUT", "/api/runs/{id:long}/steps");
        var run = await cluster.WaitForEndAsync(await cluster.StartRunAsync(project, item));
        var stepCalls = await cluster.RequestsAsync("PUT", "/api/runs/{id:long}/steps") - stepCallsBefore;
        var baton = (Time(run, "finishedAt") - Time(run, "startedAt")).TotalMilliseconds;
        var bare = await BashLoopAsync(Steps);
        return
        [
            new("200 true steps (run duration)", Math.Round(baton, 1), "ms", "", "claim to complete, server clock"),
            new("200 bash -c true (bash loop)", Math.Round(bare, 1), "ms", "", "the same processes started by bash"),
            new("per-step overhead ratio", Math.Round(baton / bare, 2), "x", "<= 1.3", "Baton run / bash loop"),
            new("per-step overhead", Math.Round((baton - bare) / Steps, 2), "ms/step", "", "(run - loop) / 200"),
            new("200 true steps: step calls", stepCalls, "calls", "", "the agent's PUT .../steps calls during the run (server's /metrics); the rest ride in the completion"),
        ];
    }

    /// <summary>`seq 1 1000000`: claim to complete, and the agent completes only after every line is stored.</summary>
    private static async Task<IEnumerable<BenchResult>> LogIngestionAsync(BenchCluster cluster)
    {
        const int Lines = 1_000_000;
        var (project, item) = await cluster.WorkItemAsync($"steps:\n  - name: seq\n    run: seq 1 {Lines}\n");
        var run = await cluster.WaitForEndAsync(await cluster.StartRunAsync(project, item));
        var seconds = (Time(run, "finishedAt") - Time(run, "startedAt")).TotalSeconds;
        var stored = run.GetProperty("logLines").GetInt64();
        if (stored < Lines)
        {
            throw new InvalidOperationException($"only {stored} of {Lines} lines were stored");
        }
        var last = await cluster.Admin.GetStringAsync($"/api/runs/{run.GetProperty("id").GetInt64()}/logs?format=text&after={stored - 1}");
        if (last != $"{Lines}\n")
        {
            throw new InvalidOperationException($"the last line is '{last.Trim()}', not {Lines}");
        }
        var searchable = await SearchLagAsync(cluster, run, Lines);
        return
        [
            new("log ingestion", Math.Round(Lines / seconds), "lines/s", ">= 300000", "seq 1 1000000, until every line is retrievable"),
            new("last line searchable after", Math.Round(searchable, 1), "ms", "", "run end -> /api/logs/search finds it (SQLite indexes after storing)"),
            new("server peak memory", Math.Round(BenchCluster.PeakMegabytes(cluster.Server), 1), "MB", "<= 250 MB", "VmHWM of the server process"),
        ];
    }

    /// <summary>Milliseconds from the run's end until a search for its last line finds it.</summary>
    private static async Task<double> SearchLagAsync(BenchCluster cluster, JsonElement run, int lastLine)
    {
        var finished = Time(run, "finishedAt");
        var runId = run.GetProperty("id").GetInt64();
        var deadline = TimeProvider.System.GetUtcNow().AddMinutes(2);
        while (TimeProvider.System.GetUtcNow() < deadline)
        {
            using var page = JsonDocument.Parse(await cluster.Admin.GetStringAsync($"/api/logs/search?q={lastLine}&limit=5"));
            if (page.RootElement.GetProperty("items").EnumerateArray().Any(hit => hit.GetProperty("runId").GetInt64() == runId))
            {
                return (TimeProvider.System.GetUtcNow() - finished).TotalMilliseconds;
            }
            await Task.Delay(5);
        }
        throw new InvalidOperationException($"line {lastLine} of run {runId} was not searchable within 2 minutes");
    }

    /// <summary>Milliseconds bash takes to start <paramref name="count"/> `bash -e -o pipefail -c true` in its own session, one after another.</summary>
    private static async Task<double> BashLoopAsync(int count)
    {
        var loop = Stopwatch.StartNew();
        using (var bash = Process.Start("bash", ["-c", $"for i in $(seq {count}); do /usr/bin/setsid bash -e -o pipefail -c true; done"]))
        {
            await bash.WaitForExitAsync();
        }
        return loop.Elapsed.TotalMilliseconds;
    }

    private static DateTimeOffset Time(JsonElement element, string property) =>
        DateTimeOffset.Parse(element.GetProperty(property).GetString()!, CultureInfo.InvariantCulture);

    private static double Percentile(List<double> values, int percentile)
    {
        var sorted = values.Order().ToList();
        var index = (int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1;
        return Math.Round(sorted[Math.Clamp(index, 0, sorted.Count - 1)], 2);
    }
}
