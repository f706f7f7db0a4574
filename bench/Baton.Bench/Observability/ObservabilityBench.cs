using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Baton.Bench.Execution;
using Baton.Bench.Shared;
using Npgsql;

namespace Baton.Bench.Observability;

/// <summary>
/// Reads at scale (issue 5): a Release server on PostgreSQL holding <c>runs</c> runs with two steps
/// each and <c>linesPerRun</c> log lines per run (100,000 and 10,000,000 by default), then the p95
/// of listing runs, reading one run, searching every log and scraping /metrics. The history is
/// written with SQL (one real run per work item through the API, cloned), so that seeding takes
/// minutes, not hours; the full-text index is built once after the lines are in.
/// </summary>
internal static class ObservabilityBench
{
    private const int WorkItems = 100;
    private const int Requests = 200;
    // A label no agent has: the one real run of each work item stays queued.
    private static readonly string[] Nobody = ["nobody"];
    private static readonly string[] Words =
        ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu", "nu", "xi", "omicron", "pi", "rho",
         "sigma", "tau", "upsilon"];

    public static async Task<int> RunAsync(string batonDll, string postgres, int runs, int linesPerRun, string resultsPath)
    {
        await using var bench = await BenchDatabase.CreateAsync(postgres);
        var database = bench.ConnectionString;
        // A block of its own: the cluster stops before its database is dropped.
        {
            await using var cluster = await BenchCluster.StartAsync(batonDll, database, agent: false);
            var seeding = Stopwatch.StartNew();
            var project = await SeedAsync(cluster, database, runs, linesPerRun);
            Console.WriteLine($"seeded {runs} runs and {(long)runs * linesPerRun} log lines in {seeding.Elapsed.TotalSeconds:0} s");
            var ids = await RunIdsAsync(database);
            var random = new Random(42);
            var results = new List<BenchResult>
            {
                await P95Async(cluster, "list runs, first page, p95", "<= 50 ms", _ => $"/api/runs?project={project}&limit=50"),
                await P95Async(cluster, "list runs, failed only, p95", "<= 50 ms", _ => $"/api/runs?project={project}&status=failed&limit=50"),
                await P95Async(cluster, "run detail, p95", "<= 50 ms", _ => $"/api/runs/{ids[random.Next(ids.Count)]}"),
                await P95Async(cluster, "log search, rare word, p95", "<= 200 ms", _ => "/api/logs/search?q=zebra&limit=50"),
                await P95Async(cluster, "log search, 1 in 20 lines, p95", "<= 200 ms", i => $"/api/logs/search?q={Words[i % Words.Length]}&limit=50"),
                await P95Async(cluster, "log search, every line, p95", "<= 200 ms", _ => "/api/logs/search?q=compiled&limit=50"),
                await P95Async(cluster, "log search in a project since 1 h, p95", "<= 200 ms",
                    _ => $"/api/logs/search?q=kappa&project={project}&since={Uri.EscapeDataString(TimeProvider.System.GetUtcNow().AddHours(-1).ToString("O"))}&limit=50"),
                await P95Async(cluster, "/metrics, p95", "<= 50 ms", _ => "/metrics", apart: TimeSpan.FromMilliseconds(150)),
            };
            BenchResult.Print(results);
            BenchResult.Merge(resultsPath, results);
            return 0;
        }
    }

    /// <summary>A project of <see cref="WorkItems"/> items, one real run each, cloned to <paramref name="runs"/> ended runs with steps and logs.</summary>
    private static async Task<string> SeedAsync(BenchCluster cluster, string database, int runs, int linesPerRun)
    {
        var project = "obs" + Guid.NewGuid().ToString("N")[..8];
        (await cluster.Admin.PostAsJsonAsync("/api/projects", new { key = project, name = project })).EnsureSuccessStatusCode();
        for (var i = 1; i <= WorkItems; i++)
        {
            (await cluster.Admin.PostAsJsonAsync($"/api/projects/{project}/work-items", new { title = $"item {i}", labels = Nobody }))
                .EnsureSuccessStatusCode();
            (await cluster.Admin.PutAsync($"/api/projects/{project}/work-items/WI-{i}/recipe",
                new StringContent("steps:\n  - name: build\n    run: make\n  - name: test\n    run: make test\n", Encoding.UTF8, "application/yaml")))
                .EnsureSuccessStatusCode();
            (await cluster.Admin.PostAsync($"/api/projects/{project}/work-items/WI-{i}/runs", null)).EnsureSuccessStatusCode();
        }
        var perItem = runs / WorkItems;
        var words = string.Join(",", Words.Select(w => $"'{w}'"));
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await ExecuteAsync(connection, $"""
            INSERT INTO runs (project_id, work_item_id, number, trigger, recipe_version, recipe_hash, recipe_yaml, recipe_json, labels, priority,
                status, attempt, max_attempts, requested_by, created_at, queued_at, started_at, finished_at, exit_code, lease_epoch, cancel_requested,
                log_seq, log_lines, log_bytes, trace_id, span_id, held)
            SELECT t.project_id, t.work_item_id, t.number + g, 'Scheduler', t.recipe_version, t.recipe_hash, t.recipe_yaml, t.recipe_json, t.labels, 0,
                CASE WHEN g % 10 = 0 THEN 'Failed' ELSE 'Succeeded' END, 1, 2, 'bench',
                now() - make_interval(secs => ({perItem} - g) * 30 + t.work_item_id),
                now() - make_interval(secs => ({perItem} - g) * 30 + t.work_item_id - 1),
                now() - make_interval(secs => ({perItem} - g) * 30 + t.work_item_id - 2),
                now() - make_interval(secs => ({perItem} - g) * 30 + t.work_item_id - 2 - (g % 20)),
                CASE WHEN g % 10 = 0 THEN 1 ELSE 0 END, 1, false, 1, {linesPerRun}, {linesPerRun} * 40,
                md5(t.work_item_id || ':' || g), substr(md5(g || ':' || t.work_item_id), 1, 16), false
            FROM runs t CROSS JOIN generate_series(1, {perItem}) g
            WHERE t.project_id = (SELECT id FROM projects WHERE key = '{project}')
            """);
        await ExecuteAsync(connection, """
            INSERT INTO run_steps (run_id, index, name, status, attempt, exit_code, started_at, finished_at, span_id)
            SELECT r.id, s.i, s.name, CASE WHEN s.i = 1 AND r.status = 'Failed' THEN 'Failed' ELSE 'Succeeded' END, 1, r.exit_code * s.i,
                r.started_at + make_interval(secs => s.i), r.finished_at - make_interval(secs => 1 - s.i), substr(md5(r.id || ':' || s.i), 1, 16)
            FROM runs r CROSS JOIN (VALUES (0, 'build'), (1, 'test')) s(i, name) WHERE r.requested_by = 'bench'
            """);
        // The index is built once the lines are in: maintaining it row by row would make seeding many times slower.
        await ExecuteAsync(connection, "DROP INDEX ix_log_chunks_search");
        await ExecuteAsync(connection, $"""
            INSERT INTO log_chunks (run_id, first_line, last_line, bytes, lines)
            SELECT r.id, 1, {linesPerRun}, {linesPerRun} * 40,
                (SELECT json_agg(json_build_object('n', n, 'ts', to_char((r.started_at + n * interval '1 ms') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                    'step', CASE WHEN n * 2 > {linesPerRun} THEN 1 ELSE 0 END, 'stream', 'stdout',
                    'text', 'compiled ' || (ARRAY[{words}])[1 + (n * 7 + r.id) % 20] || ' module ' || n
                        || CASE WHEN r.id % 5000 = 0 AND n = 7 THEN ' zebra' ELSE '' END || ' in ' || (n % 97) || ' ms'))::text
                 FROM generate_series(1, {linesPerRun}) n)
            FROM runs r WHERE r.requested_by = 'bench'
            """);
        await ExecuteAsync(connection, $"CREATE INDEX ix_log_chunks_search ON log_chunks USING gin (({Persistence.Postgres.Migrations.LogSearch.SearchExpression}))");
        await ExecuteAsync(connection, "ANALYZE");
        return project;
    }

    /// <param name="apart">A pause between requests, for answers the server may reuse for a moment (the gauges' counts, 100 ms).</param>
    private static async Task<BenchResult> P95Async(BenchCluster cluster, string name, string goal, Func<int, string> path, TimeSpan apart = default)
    {
        for (var i = 0; i < 20; i++)
        {
            (await cluster.Admin.GetAsync(path(i))).EnsureSuccessStatusCode();
        }
        var times = new List<double>();
        for (var i = 0; i < Requests; i++)
        {
            if (apart > TimeSpan.Zero)
            {
                await Task.Delay(apart);
            }
            var watch = Stopwatch.StartNew();
            using var response = await cluster.Admin.GetAsync(path(i));
            await response.Content.ReadAsByteArrayAsync();
            times.Add(watch.Elapsed.TotalMilliseconds);
            response.EnsureSuccessStatusCode();
        }
        times.Sort();
        var p95 = times[(int)Math.Ceiling(0.95 * times.Count) - 1];
        return new BenchResult(name, Math.Round(p95, 1), "ms", goal, $"{Requests} requests after 20 to warm up; median {times[times.Count / 2]:0.0} ms");
    }

    private static async Task<List<long>> RunIdsAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT id FROM runs WHERE requested_by = 'bench' ORDER BY random() LIMIT 1000", connection);
        var ids = new List<long>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetInt64(0));
        }
        return ids;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 1800 };
        await command.ExecuteNonQueryAsync();
    }
}
