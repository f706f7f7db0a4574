using System.Net.Http.Json;
using System.Text.Json;
using Baton.Tests.Support;

namespace Baton.Cli.Tests.Execution;

public sealed class SqliteExactlyOnceTests() : ExactlyOnceTests("sqlite");

public sealed class PostgresExactlyOnceTests() : ExactlyOnceTests("postgres");

/// <summary>Four agents race for 500 queued runs: each run ends once, executed by exactly one agent.</summary>
public abstract class ExactlyOnceTests(string provider) : IAsyncLifetime
{
    private const int Runs = 500;
    private ExecutionCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ExecutionCluster.StartAsync(provider);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task FiveHundredRuns_FourAgents_NoneLost_NoneExecutedTwice()
    {
        var label = "x" + Guid.NewGuid().ToString("N")[..10];
        var (project, item) = await _cluster.WorkItemAsync("steps:\n  - name: one\n    run: echo \"run $BATON_RUN_ID\"\n", label);
        var ids = new HashSet<long>();
        for (var i = 0; i < Runs; i++)
        {
            ids.Add(await _cluster.StartRunAsync(project, item));
        }
        for (var i = 0; i < 4; i++)
        {
            await _cluster.StartAgentAsync($"racer{i}-{label}", label, capacity: 2);
        }

        var finished = new List<JsonElement>();
        await Eventually.TrueAsync(async () =>
        {
            finished = await AllRunsAsync(project);
            return finished.Count(r => r.GetProperty("status").GetString() is "succeeded" or "failed" or "cancelled" or "timed_out") == Runs;
        }, TimeSpan.FromMinutes(4), "every run to finish");

        Assert.Equal(ids.Order(), finished.Select(r => r.GetProperty("id").GetInt64()).Order());
        Assert.All(finished, r => Assert.Equal("succeeded", r.GetProperty("status").GetString()));
        // Attempt 1 and one log line naming the run: claimed once, executed once, by one agent.
        Assert.All(finished, r => Assert.Equal(1, r.GetProperty("attempt").GetInt32()));
        foreach (var id in ids)
        {
            var run = await _cluster.RunAsync(id);
            var log = await _cluster.LogAsync(id);
            Assert.Equal($"run {id}", Assert.Single(log).GetProperty("text").GetString());
            Assert.StartsWith("racer", run.GetProperty("agent").GetString(), StringComparison.Ordinal);
        }
        var agents = await _cluster.Admin.GetFromJsonAsync<JsonElement>("/api/agents");
        Assert.Equal(4, agents.EnumerateArray().Count(a => a.GetProperty("name").GetString()!.EndsWith(label, StringComparison.Ordinal)));
    }

    private async Task<List<JsonElement>> AllRunsAsync(string project)
    {
        var runs = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var page = await _cluster.Admin.GetFromJsonAsync<JsonElement>($"/api/runs?project={project}&limit=200{(cursor is null ? "" : "&cursor=" + cursor)}");
            runs.AddRange(page.GetProperty("items").EnumerateArray());
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);
        return runs;
    }
}
