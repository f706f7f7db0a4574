using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Baton.Bench.Execution;
using Baton.Bench.Shared;

namespace Baton.Bench.Throughput;

/// <summary>
/// Trivial runs (one step running <c>true</c>) end to end on PostgreSQL with 4 agents of capacity 2, side by side in one
/// run with the peer (Hangfire on Hangfire.PostgreSql, the same PostgreSQL server, 8 workers, a job starting the same
/// <c>true</c>) and with the limit (a bare loop starting <c>true</c>, 8 at a time). Also what each costs the database per
/// run and while idle, and Baton's memory.
/// </summary>
internal static class ThroughputBench
{
    private const int Agents = 4;
    private const int Capacity = 2;
    private const int Parallelism = Agents * Capacity;
    private const int WarmUpBatch = 100;
    private const string TrueRecipe = "steps:\n  - name: true\n    run: \"true\"\n";

    /// <summary>The native baton-agent the agents start from, when `make bench` built it (BATON_BENCH_AGENT); else `baton agent`.</summary>
    private static readonly string? NativeAgent = Environment.GetEnvironmentVariable("BATON_BENCH_AGENT") is { Length: > 0 } path ? path : null;

    /// <summary>Which agent executable was measured, for the "compared with" column.</summary>
    private static string AgentKind => NativeAgent is null ? "baton agent (JIT)" : "baton-agent (native AOT)";

    /// <param name="warmUpSeconds">At most this long warming each side (<see cref="WarmUp"/>); a quick look passes less and measures colder.</param>
    public static async Task<int> RunAsync(string batonDll, string hangfireDll, string postgres, int runs, int idleSeconds, string resultsPath,
        int warmUpSeconds)
    {
        var loop = await BareLoopAsync(runs);
        Console.WriteLine($"bare loop: {loop:0.0} true/s");
        var baton = await BatonAsync(batonDll, postgres, runs, idleSeconds, TimeSpan.FromSeconds(warmUpSeconds), StatementListsBeside(resultsPath));
        Console.WriteLine($"baton: {baton.RunsPerSecond:0.0} runs/s, {baton.CommitsPerRun:0.00} commits per run, {baton.IdleTransactionsPerSecond:0.00} idle tx/s");
        var hangfire = await HangfireAsync(hangfireDll, postgres, runs, idleSeconds, warmUpSeconds);
        Console.WriteLine($"hangfire: {hangfire.GetProperty("jobsPerSecond").GetDouble():0.0} jobs/s");
        var results = Results(loop, baton, hangfire, idleSeconds);
        BenchResult.Print(results);
        BenchResult.Merge(resultsPath, results);
        return 0;
    }

    private sealed record BatonFigures(double RunsPerSecond, double CommitsPerRun, double? StatementsPerRun, double IdleTransactionsPerSecond,
        double IdleStatementsPerSecond, double ServerIdleMB, double AgentIdleMB, double ServerPeakMB, double AgentPeakMB, CpuPerRun Cpu);

    /// <summary>Milliseconds of CPU per run over the measured runs: where the machine's time went.</summary>
    private sealed record CpuPerRun(double Server, double Agents, double Steps, double Postgres);

    /// <summary>CPU used so far by the server, the agents, the agents' ended step processes, and every PostgreSQL process.</summary>
    private static (ProcessCpu Server, ProcessCpu Agents, ProcessCpu Postgres) CpuNow(BenchCluster cluster) =>
        (ProcessCpu.Of(cluster.Server.Id), cluster.Agents.Aggregate(ProcessCpu.Zero, (sum, agent) => sum + ProcessCpu.Of(agent.Id)),
            ProcessCpu.OfCommand("postgres"));

    /// <summary>Baton alone, for profiling: its figures, and the statements it ran most, without the peer or the limit.</summary>
    public static async Task<int> ProfileAsync(string batonDll, string postgres, int runs, int idleSeconds)
    {
        var lists = Path.Combine(Path.GetTempPath(), "baton-bench-throughput");
        var baton = await BatonAsync(batonDll, postgres, runs, idleSeconds, TimeSpan.FromSeconds(120), lists);
        Console.WriteLine(baton);
        Console.WriteLine($"statements: {lists}-statements.txt, {lists}-idle-statements.txt");
        return 0;
    }

    private static List<BenchResult> Results(double loop, BatonFigures baton, JsonElement hangfire, int idleSeconds)
    {
        var peer = hangfire.GetProperty("jobsPerSecond").GetDouble();
        var peerName = $"Hangfire {hangfire.GetProperty("hangfireVersion").GetString()} on {hangfire.GetProperty("storage").GetString()}, {Parallelism} workers";
        return
        [
            new("throughput: baton runs/s", Round(baton.RunsPerSecond), "runs/s", ">= 10x peer", $"{peerName}: {Round(peer)} jobs/s"),
            new("throughput: hangfire jobs/s", Round(peer), "jobs/s", "", peerName),
            new("throughput: bare loop true/s", Round(loop), "procs/s", "", $"Process.Start(\"true\"), {Parallelism} at a time (the limit)"),
            new("throughput: baton / hangfire", Round(baton.RunsPerSecond / peer), "x", ">= 10", peerName),
            new("throughput: baton / bare loop", Round(baton.RunsPerSecond / loop), "x", ">= 0.5", "bare loop"),
            new("db commits per run (baton)", Round(baton.CommitsPerRun), "commits", "<= 4",
                $"{peerName}: {Round(hangfire.GetProperty("commitsPerJob").GetDouble())} per job; pg_stat_database, everything the server did"),
            new("db statements per run (baton)", baton.StatementsPerRun is { } statements ? Round(statements) : double.NaN, "statements", "",
                "pg_stat_statements, everything the server did during the runs (including its reads)"),
            new("db commits per job (hangfire)", Round(hangfire.GetProperty("commitsPerJob").GetDouble()), "commits", "", peerName),
            .. idleSeconds > 0 ? IdleResults(baton, hangfire, idleSeconds, peerName) : [],
            new("CPU per run: server", Round(baton.Cpu.Server), "ms", "", "user + system time of baton server over the measured runs / runs"),
            new("CPU per run: agents", Round(baton.Cpu.Agents), "ms", "", $"the {Agents} {AgentKind} processes, their steps not included"),
            new("CPU per run: step processes", Round(baton.Cpu.Steps), "ms", "", "what the agents' ended children used: setsid, then true in its place (a plain command needs no bash, ADR 0014)"),
            new("CPU per run: PostgreSQL", Round(baton.Cpu.Postgres), "ms", "", "every postgres process on the machine"),
            new("server memory idle", Round(baton.ServerIdleMB), "MB", "<= 100", "VmRSS, PostgreSQL, 4 agents connected"),
            new("agent memory idle", Round(baton.AgentIdleMB), "MB", "<= 50", $"VmRSS, largest of the {Agents} {AgentKind} processes"),
            new("server memory peak (throughput)", Round(baton.ServerPeakMB), "MB", "", "VmHWM"),
            new("agent memory peak (throughput)", Round(baton.AgentPeakMB), "MB", "", $"VmHWM, largest of the {Agents} {AgentKind} processes"),
            new("hangfire process memory peak", Round(hangfire.GetProperty("peakMemoryMB").GetDouble()), "MB", "", "VmHWM of the peer's one process"),
        ];
    }

    private static List<BenchResult> IdleResults(BatonFigures baton, JsonElement hangfire, int idleSeconds, string peerName)
    {
        var peerIdle = Round(hangfire.GetProperty("idleTransactionsPerSecond").GetDouble());
        return
        [
            new("idle db transactions/s (baton)", Round(baton.IdleTransactionsPerSecond), "tx/s", $"<= {Agents * 0.1:0.0}",
                $"{Agents} agents idle {idleSeconds} s, autovacuum paused (its visits count as the database's); {peerName} idle: {peerIdle} tx/s"),
            new("idle db transactions/s (hangfire)", peerIdle, "tx/s", "", peerName),
            new("idle db statements/s (baton)", Round(baton.IdleStatementsPerSecond), "statements/s", "",
                "pg_stat_statements while idle: Baton's own statements"),
        ];
    }

    private static double Round(double value) => Math.Round(value, value < 10 ? 2 : 1);

    /// <summary>The limit: the same processes started straight from .NET, <see cref="Parallelism"/> at a time.</summary>
    private static async Task<double> BareLoopAsync(int count)
    {
        var clock = Stopwatch.StartNew();
        var next = 0;
        await Task.WhenAll(Enumerable.Range(0, Parallelism).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) <= count)
            {
                using var process = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
                await process.WaitForExitAsync();
            }
        })));
        return count / clock.Elapsed.TotalSeconds;
    }

    /// <param name="lists">Where the lists of statements go: this path with <c>-statements.txt</c> and <c>-idle-statements.txt</c>.</param>
    private static async Task<BatonFigures> BatonAsync(string batonDll, string postgres, int runs, int idleSeconds, TimeSpan warmUpLimit,
        string lists)
    {
        await using var database = await BenchDatabase.CreateAsync(postgres);
        // A block of its own: the cluster stops before its database is dropped.
        {
            // One token starts every run, faster than its default 200 a second once the burst is spent: the figure is the server's.
            await using var cluster = await BenchCluster.StartAsync(batonDll, database.ConnectionString, agents: Agents, capacity: Capacity,
                nativeAgent: NativeAgent, unlimitedToken: true);
            var (project, workItem) = await cluster.WorkItemAsync(TrueRecipe);
            var done = 0;
            var warm = await WarmUp.UntilJitSettlesAsync(
                () => CreateAndWaitAsync(cluster, project, workItem, WarmUpBatch, done += WarmUpBatch), cluster.JitCompiledMethodsAsync, warmUpLimit);
            Console.WriteLine($"baton warm-up: {warm.Batches * WarmUpBatch} runs in {warm.Elapsed.TotalSeconds:0} s, "
                + (warm.Settled ? "JIT settled" : $"JIT not settled ({warm.LastBatchMethods} methods in the last batch)"));

            // Idle: every agent in its long poll, nothing queued. PostgreSQL may count an idle connection's transactions
            // up to about 10 s late, so each reading waits that long after the work it should include.
            await Task.Delay(BenchDatabase.StatsSettle);
            var serverIdle = BenchCluster.ResidentMegabytes(cluster.Server);
            var agentIdle = cluster.Agents.Max(BenchCluster.ResidentMegabytes);
            TransactionCounts idleStart, idleEnd;
            Dictionary<string, long> idleStatements, idleStatementsEnd;
            await using (await database.PauseAutovacuumAsync())
            {
                idleStart = await database.ReadTransactionsAsync();
                idleStatements = await database.StatementCallsAsync();
                await Task.Delay(TimeSpan.FromSeconds(idleSeconds));
                idleEnd = await database.ReadTransactionsAsync();
                idleStatementsEnd = await database.StatementCallsAsync();
            }
            if (idleSeconds > 0)
            {
                await WriteIdleStatementsAsync(idleStatements, idleStatementsEnd, lists + "-idle-statements.txt");
            }
            var idleStatementRate = idleSeconds > 0
                ? idleStatementsEnd.Sum(s => s.Value - idleStatements.GetValueOrDefault(s.Key)) / (double)idleSeconds
                : double.NaN;

            var before = idleEnd;
            var statementsBefore = await database.ReadStatementsAsync();
            var cpuBefore = CpuNow(cluster);
            var clock = Stopwatch.StartNew();
            await CreateAndWaitAsync(cluster, project, workItem, runs, done + runs);
            var elapsed = clock.Elapsed;
            var cpuAfter = CpuNow(cluster);
            var cpu = new CpuPerRun((cpuAfter.Server - cpuBefore.Server).Own.TotalMilliseconds / runs,
                (cpuAfter.Agents - cpuBefore.Agents).Own.TotalMilliseconds / runs, (cpuAfter.Agents - cpuBefore.Agents).Children.TotalMilliseconds / runs,
                (cpuAfter.Postgres - cpuBefore.Postgres).Own.TotalMilliseconds / runs);
            await Task.Delay(BenchDatabase.StatsSettle);
            var after = await database.ReadTransactionsAsync();
            var statementsAfter = await database.ReadStatementsAsync();
            await WriteTopStatementsAsync(database, lists + "-statements.txt");
            var idleRate = idleSeconds > 0 ? (idleEnd.Total - idleStart.Total) / (double)idleSeconds : double.NaN;
            // What the idle server did while the reading waited is not the runs' cost.
            var runCommits = after.Commits - before.Commits - (idleSeconds > 0 ? idleRate * (elapsed + BenchDatabase.StatsSettle).TotalSeconds : 0);
            return new BatonFigures(runs / elapsed.TotalSeconds, runCommits / runs, (statementsAfter - statementsBefore) / (double?)runs, idleRate,
                idleStatementRate, serverIdle, agentIdle, BenchCluster.PeakMegabytes(cluster.Server), cluster.Agents.Max(BenchCluster.PeakMegabytes), cpu);
        }
    }

    /// <summary>
    /// The statement lists' path (without its suffixes) beside a results file: bench/results/throughput for latest.json, the
    /// lists kept with the figures; bench/results/quick-throughput for quick.json, so that a quick look leaves them alone.
    /// </summary>
    private static string StatementListsBeside(string resultsPath)
    {
        var directory = Path.GetDirectoryName(resultsPath) ?? ".";
        var stem = Path.GetFileNameWithoutExtension(resultsPath);
        return Path.Combine(directory, stem == "latest" ? "throughput" : stem + "-throughput");
    }

    /// <summary>What the database ran most for Baton, for whoever looks for the cost of a run.</summary>
    private static async Task WriteTopStatementsAsync(BenchDatabase database, string path)
    {
        var top = await database.TopStatementsAsync(40);
        if (top.Count > 0)
        {
            await WriteStatementsAsync(path, top);
        }
    }

    /// <summary>What the idle server and agents made the database run, for whoever looks for the idle cost.</summary>
    private static Task WriteIdleStatementsAsync(Dictionary<string, long> before, Dictionary<string, long> after, string path) =>
        WriteStatementsAsync(path, after.Select(s => (Calls: s.Value - before.GetValueOrDefault(s.Key), Query: s.Key))
            .Where(s => s.Calls > 0).OrderByDescending(s => s.Calls));

    /// <summary>One statement a line: its calls, then its text on one line.</summary>
    private static async Task WriteStatementsAsync(string path, IEnumerable<(long Calls, string Query)> statements)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await File.WriteAllLinesAsync(path, statements.Select(t => $"{t.Calls,8}  {t.Query.ReplaceLineEndings(" ")}"));
    }

    /// <summary>Starts <paramref name="count"/> runs from <see cref="Parallelism"/> callers, then waits until the project has <paramref name="total"/> succeeded runs.</summary>
    private static async Task CreateAndWaitAsync(BenchCluster cluster, string project, string workItem, int count, int total)
    {
        var next = 0;
        await Task.WhenAll(Enumerable.Range(0, Parallelism).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) <= count)
            {
                await cluster.StartRunAsync(project, workItem);
            }
        })));
        var deadline = Stopwatch.StartNew();
        while (await SucceededAsync(cluster, project) < total)
        {
            if (deadline.Elapsed > TimeSpan.FromMinutes(10))
            {
                throw new TimeoutException($"the runs of {project} did not all succeed");
            }
            await Task.Delay(250);
        }
    }

    /// <summary>The project's succeeded runs, from the metrics summary (one query, not a walk through the run list).</summary>
    private static async Task<int> SucceededAsync(BenchCluster cluster, string project)
    {
        var metrics = await cluster.Admin.GetFromJsonAsync<JsonElement>($"/api/metrics?project={project}");
        return metrics.GetProperty("runsByStatus").TryGetProperty("succeeded", out var succeeded) ? succeeded.GetInt32() : 0;
    }

    private static async Task<JsonElement> HangfireAsync(string hangfireDll, string postgres, int jobs, int idleSeconds, int warmUpSeconds)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { Path.GetFullPath(hangfireDll), postgres, jobs.ToString(CultureInfo.InvariantCulture),
                     Parallelism.ToString(CultureInfo.InvariantCulture), idleSeconds.ToString(CultureInfo.InvariantCulture),
                     warmUpSeconds.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }
        using var peer = Process.Start(start)!;
        var output = await peer.StandardOutput.ReadToEndAsync();
        await peer.WaitForExitAsync();
        if (peer.ExitCode != 0)
        {
            throw new InvalidOperationException($"the Hangfire peer exited with {peer.ExitCode}");
        }
        return JsonSerializer.Deserialize<JsonElement>(output);
    }
}
