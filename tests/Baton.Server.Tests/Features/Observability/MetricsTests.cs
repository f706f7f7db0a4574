using System.Diagnostics;
using System.Globalization;
using System.Net;
using Baton.Contracts.Runs;
using Baton.Core.Access;
using Baton.Server.Tests.Infrastructure;

namespace Baton.Server.Tests.Features.Observability;

public sealed class SqliteMetricsTests(SqliteApplication app) : MetricsTests<SqliteApplication>(app);

public sealed class PostgresMetricsTests(PostgresApplication app) : MetricsTests<PostgresApplication>(app);

/// <summary>/metrics (Prometheus text, checked by promtool) and /api/metrics (JSON) after runs with known outcomes.</summary>
public abstract class MetricsTests<TApp>(TApp app) : ObservabilityTestBase<TApp>(app) where TApp : BatonApplication
{
    [Fact]
    public async Task Metrics_CountRunsByProjectAndStatus_WithDurationsAndWaits_InTextPromtoolAccepts()
    {
        var key = await CreateProjectAsync();
        var item = await ItemAsync(key);
        await ExecuteWithLogAsync(key, item, RunResult.Succeeded, logLines: 3, 1, 2);
        await ExecuteAsync(key, item, RunResult.Failed, 1, 0.5);
        var viewer = App.Client(await App.TokenAsync(Role.Viewer));

        var anonymous = await App.Client(null).GetAsync("/metrics");
        var text = await viewer.GetStringAsync("/metrics");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        var project = $"project=\"{key}\"";
        Assert.Equal(2, Value(text, "baton_runs_started_total", project));
        Assert.Equal(1, Value(text, "baton_runs_finished_total", project, "status=\"succeeded\""));
        Assert.Equal(1, Value(text, "baton_runs_finished_total", project, "status=\"failed\""));
        Assert.Equal(1, Value(text, "baton_run_duration_seconds_count", project, "status=\"succeeded\""));
        Assert.Equal(2, Value(text, "baton_run_queue_wait_seconds_count", project));
        Assert.True(Value(text, "baton_step_duration_seconds_count", "status=\"succeeded\"") >= 3);
        Assert.True(Value(text, "baton_runs", "status=\"succeeded\"") >= 1);
        Assert.True(Value(text, "baton_agents", "status=\"idle\"") + Value(text, "baton_agents", "status=\"busy\"") >= 1);
        Assert.Equal(3, Value(text, "baton_log_lines_total"));
        Assert.Equal(3 * "line N".Length, Value(text, "baton_log_bytes_total"));
        Assert.Contains("http_server_request_duration_seconds_count", text, StringComparison.Ordinal);
        Assert.True(Value(text, "dotnet_jit_compiled_methods_total") > 0);
        Assert.True(Value(text, "dotnet_process_memory_working_set_bytes") > 0);
        await PromtoolAcceptsAsync(text);
    }

    [Fact]
    public async Task MetricsJson_GivesRunsByStatus_AndPercentilesAndBuckets_OfTheProjectsRuns()
    {
        var key = await CreateProjectAsync();
        var item = await ItemAsync(key);
        await ExecuteAsync(key, item, RunResult.Succeeded, 1, 2);
        await ExecuteAsync(key, item, RunResult.Succeeded, 1, 4);
        await ExecuteAsync(key, item, RunResult.Failed, 1, 0.5);
        await Admin.StartRunAsync(key, item);

        var metrics = await JsonAsync(await Admin.GetAsync($"/api/metrics?project={key}"));
        var missing = await Admin.GetAsync("/api/metrics?project=nope-" + key);

        var byStatus = metrics.GetProperty("runsByStatus");
        Assert.Equal((2, 1, 1), (byStatus.GetProperty("succeeded").GetInt64(), byStatus.GetProperty("failed").GetInt64(), byStatus.GetProperty("queued").GetInt64()));
        Assert.Equal((3, 3), (metrics.GetProperty("started").GetInt64(), metrics.GetProperty("finished").GetInt64()));
        var steps = metrics.GetProperty("stepDuration");
        Assert.Equal((6, 1.0, 4.0), (steps.GetProperty("count").GetInt32(), steps.GetProperty("p50Seconds").GetDouble(), steps.GetProperty("p99Seconds").GetDouble()));
        Assert.Equal(6, steps.GetProperty("buckets").EnumerateArray().Sum(b => b.GetProperty("count").GetInt32()));
        Assert.Equal(3, metrics.GetProperty("runDuration").GetProperty("count").GetInt32());
        Assert.Equal(3, metrics.GetProperty("queueWait").GetProperty("count").GetInt32());
        Assert.Equal(0, metrics.GetProperty("approvalWait").GetProperty("count").GetInt32());
        await ProblemAsync(missing, HttpStatusCode.NotFound);
    }

    /// <summary>The value of the one sample of <paramref name="metric"/> whose labels include all of <paramref name="labels"/>.</summary>
    private static double Value(string text, string metric, params string[] labels)
    {
        var lines = text.Split('\n').Where(l => l.StartsWith(metric + "{", StringComparison.Ordinal) || l.StartsWith(metric + " ", StringComparison.Ordinal))
            .Where(l => labels.All(label => l.Contains(label, StringComparison.Ordinal))).ToList();
        Assert.True(lines.Count == 1, string.Join("\n", lines));
        var line = lines[0];
        return double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
    }

    /// <summary>Prometheus's own linter: no error, no warning. Missing promtool is a failure (make test installs it).</summary>
    private static async Task PromtoolAcceptsAsync(string text)
    {
        var promtool = new[] { "/usr/bin/promtool", "/usr/local/bin/promtool" }.FirstOrDefault(File.Exists);
        Assert.True(promtool is not null, "promtool is not installed: make test installs it (apt package prometheus) when run as root");
        var start = new ProcessStartInfo(promtool!, ["check", "metrics"])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(text);
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0 && output.Trim().Length == 0, $"promtool check metrics: exit {process.ExitCode}: {output}");
    }
}
