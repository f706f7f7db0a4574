using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Baton.Contracts.Agents;
using Baton.Contracts.Json;
using Baton.Contracts.Runs;
using Baton.Core.Access;
using Baton.Server.Tests.Infrastructure;
using Baton.Tests.Support;

namespace Baton.Server.Tests.Features.Observability;

public sealed class SqliteLogSearchTests(SqliteApplication app) : LogSearchTests<SqliteApplication>(app);

public sealed class PostgresLogSearchTests(PostgresApplication app) : LogSearchTests<PostgresApplication>(app);

/// <summary>Searching every run's log (full-text), and filtering one run's log.</summary>
public abstract class LogSearchTests<TApp>(TApp app) : ApiTestBase<TApp>(app) where TApp : BatonApplication
{
    private readonly string _label = "s" + Guid.NewGuid().ToString("N")[..10];
    private HttpClient? _agent;
    private long _agentId;

    /// <summary>A running run whose log is <paramref name="texts"/> (one batch per 500 lines), step by the given function; returns its id.</summary>
    private async Task<long> RunWithLogAsync(string key, string item, List<string> texts, Func<int, int> stepOf, DateTimeOffset? at = null)
    {
        if (_agent is null)
        {
            _agent = await App.AgentClientAsync();
            _agentId = await _agent.RegisterAsync("searcher-" + _label, [_label], capacity: 20);
        }
        var runId = await Admin.StartRunAsync(key, item);
        var claimed = (await _agent.ClaimAsync(_agentId))!;
        var ts = at ?? TimeProvider.System.GetUtcNow();
        for (var seq = 0; seq * 500 < texts.Count; seq++)
        {
            var lines = texts.Skip(seq * 500).Take(500).Select((text, i) => new LogBatchLine(seq * 500 + i + 1, ts.AddMilliseconds(seq * 500 + i),
                stepOf(seq * 500 + i), text.StartsWith("oops", StringComparison.Ordinal) ? LogSourceName.Stderr : LogSourceName.Stdout, text)).ToList();
            (await _agent.PostAsJsonAsync($"/api/runs/{runId}/logs", new LogBatch(claimed.Epoch, seq + 1, lines), BatonJson.Options)).EnsureSuccessStatusCode();
        }
        return runId;
    }

    private static List<string> Hay(int count) => [.. Enumerable.Range(1, count).Select(i => $"hay bale {i} of the field")];

    [Fact]
    public async Task Search_FindsTheOneLineAmongMany_WithItsRunStepAndNumber_AndPagesThroughTheRest()
    {
        var key = await CreateProjectAsync();
        var other = await CreateProjectAsync();
        var item = await Admin.RunnableAsync(key, new { title = "haystack", labels = new[] { _label } });
        var elsewhere = await Admin.RunnableAsync(other, new { title = "elsewhere", labels = new[] { _label } });
        var texts = Hay(1500);
        texts[1233] = "Found the Needle-7 at last";
        await RunWithLogAsync(key, item, Hay(1200), n => 0);
        var needleRun = await RunWithLogAsync(key, item, texts, n => n < 1000 ? 0 : 1);
        await RunWithLogAsync(other, elsewhere, ["a needle-7 somewhere else"], n => 0);
        var word = "needle" + Guid.NewGuid().ToString("N")[..6];
        var unique = await RunWithLogAsync(key, item, [$"only {word} here"], n => 0);
        // On SQLite lines are indexed a moment after they are stored, in storage order: once the last is found, all are.
        var uniqueHits = await Eventually.MatchesAsync(async () => (await JsonAsync(await Admin.GetAsync($"/api/logs/search?q={word}"))).GetProperty("items"),
            items => items.GetArrayLength() > 0, TimeSpan.FromSeconds(30), "the last stored line to be searchable");
        Assert.Equal(unique, Assert.Single(uniqueHits.EnumerateArray()).GetProperty("runId").GetInt64());

        var found = await JsonAsync(await Admin.GetAsync($"/api/logs/search?q=needle%207&project={key}"));
        var hit = Assert.Single(found.GetProperty("items").EnumerateArray());
        Assert.Equal((needleRun, key, item, 1234L, 1, "test", "Found the Needle-7 at last"),
            (hit.GetProperty("runId").GetInt64(), hit.GetProperty("project").GetString(), hit.GetProperty("workItem").GetString(),
             hit.GetProperty("line").GetInt64(), hit.GetProperty("step").GetInt32(), hit.GetProperty("stepName").GetString(), hit.GetProperty("text").GetString()));
        Assert.Equal(2, (await JsonAsync(await Admin.GetAsync("/api/logs/search?q=NEEDLE%207"))).GetProperty("items").EnumerateArray()
            .Count(h => h.GetProperty("project").GetString() is { } p && (p == key || p == other)));
        Assert.Empty((await JsonAsync(await Admin.GetAsync($"/api/logs/search?q=needle&project={key}&since={Uri.EscapeDataString(TimeProvider.System.GetUtcNow().AddHours(1).ToString("O"))}")))
            .GetProperty("items").EnumerateArray());

        // Every "bale" line of the project, page by page: newest run first, then in line order, none twice.
        var seen = new List<(long Run, long Line)>();
        string? cursor = null;
        do
        {
            var page = await JsonAsync(await Admin.GetAsync($"/api/logs/search?q=bale&project={key}&limit=200{(cursor is null ? "" : "&cursor=" + cursor)}"));
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(h => (h.GetProperty("runId").GetInt64(), h.GetProperty("line").GetInt64())));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);
        Assert.Equal(1200 + 1499, seen.Count);
        Assert.Equal(seen.OrderByDescending(s => s.Run).ThenBy(s => s.Line), seen);
        Assert.True((await ProblemAsync(await Admin.GetAsync("/api/logs/search?q=%20%3F%21"), HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("q", out _));
        await ProblemAsync(await Admin.GetAsync("/api/logs/search?q=x&cursor=nonsense"), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task ARunsLog_FiltersByStepStreamTimeAndWords()
    {
        var key = await CreateProjectAsync();
        var item = await Admin.RunnableAsync(key, new { title = "filtered", labels = new[] { _label } });
        var start = TimeProvider.System.GetUtcNow().AddMinutes(-10);
        var texts = Enumerable.Range(1, 100).Select(i => i % 10 == 0 ? $"oops failure number {i}" : $"fine line {i}").ToList();
        var runId = await RunWithLogAsync(key, item, texts, n => n < 50 ? 0 : 1, start);

        async Task<List<long>> LinesAsync(string query) =>
            [.. (await JsonAsync(await Admin.GetAsync($"/api/runs/{runId}/logs?{query}"))).GetProperty("items").EnumerateArray().Select(l => l.GetProperty("n").GetInt64())];
        string At(int ms) => Uri.EscapeDataString(start.AddMilliseconds(ms).ToString("O"));

        Assert.Equal([10L, 20, 30, 40, 50, 60, 70, 80, 90, 100], await LinesAsync("stream=stderr"));
        Assert.Equal([60L, 70, 80, 90, 100], await LinesAsync("stream=stderr&step=1"));
        Assert.Equal([30L, 40], await LinesAsync($"q=oops%20failure&since={At(20)}&until={At(40)}"));
        Assert.Equal([77L], await LinesAsync("q=LINE%2077"));
        Assert.True((await ProblemAsync(await Admin.GetAsync($"/api/runs/{runId}/logs?since={At(50)}&until={At(10)}"), HttpStatusCode.BadRequest))
            .GetProperty("errors").TryGetProperty("until", out _));
    }
}
