// Peer benchmark: Hangfire 1.8 on Hangfire.PostgreSql runs `true` JOBS times with WORKERS workers, once warm (the same
// warm-up policy as Baton's, for at most WARM_UP_SECONDS), then idles IDLE_SECONDS (0: no idle reading).
// Usage: dotnet run -c Release --project bench/Baton.Bench.Hangfire -- CONNECTION_STRING JOBS WORKERS IDLE_SECONDS WARM_UP_SECONDS
// One JSON object goes to stdout; progress goes to stderr.
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Baton.Bench.Hangfire;
using Baton.Bench.Shared;
using Hangfire;
using Hangfire.PostgreSql;

if (args.Length != 5
    || !int.TryParse(args[1], CultureInfo.InvariantCulture, out var jobs) || jobs <= 0
    || !int.TryParse(args[2], CultureInfo.InvariantCulture, out var workers) || workers <= 0
    || !int.TryParse(args[3], CultureInfo.InvariantCulture, out var idleSeconds) || idleSeconds < 0
    || !int.TryParse(args[4], CultureInfo.InvariantCulture, out var warmUpSeconds) || warmUpSeconds < 0)
{
    await Console.Error.WriteLineAsync("usage: Baton.Bench.Hangfire CONNECTION_STRING JOBS WORKERS IDLE_SECONDS WARM_UP_SECONDS");
    return 2;
}

// A database of its own, dropped at the end whatever happens.
await using var database = await BenchDatabase.CreateAsync(args[0]);
Progress($"created database {database.Name}");

// Hangfire by the book: PostgreSQL storage, schema prepared on start, default storage options.
// QueuePollInterval is left at its default (15 s). It is only the fallback wait of an idle worker:
// Hangfire.PostgreSql 1.21 signals waiting workers in-process when an enqueue commits, and a
// worker that just finished a job fetches the next one straight away, so with enqueue and server in
// one process the default does not turn the run into idle waiting (the figures bear this out:
// runs finish in a small fraction of 15 s per worker). It does set the idle polling rate.
var storageOptions = new PostgreSqlStorageOptions { PrepareSchemaIfNecessary = true };
Progress($"QueuePollInterval {storageOptions.QueuePollInterval} (default), long polling {storageOptions.EnableLongPolling}");
GlobalConfiguration.Configuration
    .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
    .UseSimpleAssemblyNameTypeSerializer()
    .UseRecommendedSerializerSettings()
    .UsePostgreSqlStorage(options => options.UseNpgsqlConnection(database.ConnectionString), storageOptions);

using var server = new BackgroundJobServer(new BackgroundJobServerOptions { WorkerCount = workers });
var monitoring = JobStorage.Current.GetMonitoringApi();

// Warm, as Baton is: batches of jobs until a batch makes the JIT compile almost nothing new.
const int warmUpBatch = 100;
var warmed = 0;
var warm = await WarmUp.UntilJitSettlesAsync(async () =>
{
    warmed += warmUpBatch;
    await RunJobsAsync(warmUpBatch, warmed);
}, () => Task.FromResult(System.Runtime.JitInfo.GetCompiledMethodCount()), TimeSpan.FromSeconds(warmUpSeconds));
Progress($"warm-up: {warmed} jobs in {warm.Elapsed.TotalSeconds:F0} s, JIT {(warm.Settled ? "settled" : "not settled")}");

// Let the warm-up's transactions reach pg_stat_database before the baseline.
await Task.Delay(BenchDatabase.StatsSettle);
var before = await database.ReadTransactionsAsync();
Progress($"idle server, baseline xact_commit {before.Commits}; enqueueing {jobs} jobs from 8 tasks");

// The run: first enqueue to the moment Hangfire has recorded the last job as Succeeded.
var clock = Stopwatch.StartNew();
var polls = await RunJobsAsync(jobs, warmed + jobs);
clock.Stop();
Progress($"{jobs} succeeded in {clock.Elapsed.TotalSeconds:F2} s ({polls} extra monitoring polls)");

// Idle backends flush their stats up to 10 s late; the settle wait (and its few idle
// transactions) is counted in the run's commits, a small overstatement.
await Task.Delay(BenchDatabase.StatsSettle);
var after = await database.ReadTransactionsAsync();

// Idle cost: what the server does to the database when there is nothing to do.
var idle = TimeSpan.FromSeconds(idleSeconds);
Progress($"run commits {after.Commits - before.Commits}; idling {idle.TotalSeconds} s");
// Autovacuum paused, as for Baton's idle reading (BenchDatabase.PauseAutovacuumAsync says why).
TransactionCounts idleStart, idleEnd;
await using (await database.PauseAutovacuumAsync())
{
    idleStart = await database.ReadTransactionsAsync();
    await Task.Delay(idle);
    idleEnd = await database.ReadTransactionsAsync();
}

var result = new
{
    peer = "hangfire",
    hangfireVersion = "1.8.25",
    storage = "Hangfire.PostgreSql 1.21.1",
    jobs,
    workers,
    seconds = Math.Round(clock.Elapsed.TotalSeconds, 3),
    jobsPerSecond = Math.Round(jobs / clock.Elapsed.TotalSeconds, 1),
    commitsPerJob = Math.Round((double)(after.Commits - before.Commits) / jobs, 2),
    idleTransactionsPerSecond = idleSeconds > 0 ? Math.Round((idleEnd.Total - idleStart.Total) / idle.TotalSeconds, 2) : (double?)null,
    peakMemoryMB = PeakMemory.ReadMegabytes(),
};
Console.WriteLine(JsonSerializer.Serialize(result));
return 0;

// Enqueues `count` jobs from 8 producers and waits until Hangfire has recorded `total` jobs as Succeeded; the polls it took.
async Task<int> RunJobsAsync(int count, int total)
{
    TrueJob.ExpectCompletions(count);
    await Enqueuer.EnqueueAsync(count, producers: 8, () => BackgroundJob.Enqueue(() => TrueJob.Run()));
    await TrueJob.AllCompleted;
    var extra = 0;
    while (monitoring.SucceededListCount() < total)
    {
        extra++;
        await Task.Delay(5);
    }
    return extra;
}

static void Progress(string message) => Console.Error.WriteLine($"[hangfire-bench] {message}");
