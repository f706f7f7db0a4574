using System.Net;
using System.Text.Json;
using Baton.Contracts.Runs;
using Baton.Server.Tests.Infrastructure;

namespace Baton.Server.Tests.Features.Observability;

public sealed class SqliteTracesTests(SqliteApplication app) : TracesTests<SqliteApplication>(app);

public sealed class PostgresTracesTests(PostgresApplication app) : TracesTests<PostgresApplication>(app);

/// <summary>Runs as traces, one run observed with its steps' spans, and a work item's step history.</summary>
public abstract class TracesTests<TApp>(TApp app) : ObservabilityTestBase<TApp>(app) where TApp : BatonApplication
{
    [Fact]
    public async Task TracePages_StayStable_WhileNewRunsArrive()
    {
        var key = await CreateProjectAsync();
        var item = await ItemAsync(key);
        var first = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            first.Add(await Admin.StartRunAsync(key, item));
        }

        var seen = new List<long>();
        var page = await JsonAsync(await Admin.GetAsync($"/api/observability/traces?project={key}&limit=2"));
        seen.AddRange(Ids(page));
        for (var i = 0; i < 3; i++)
        {
            await Admin.StartRunAsync(key, item);
        }
        while (page.GetProperty("nextCursor").GetString() is { } cursor)
        {
            page = await JsonAsync(await Admin.GetAsync($"/api/observability/traces?project={key}&limit=2&cursor={cursor}"));
            seen.AddRange(Ids(page));
        }

        // Newest first, each of the first five once, none of the later three: they sort before the pages already read.
        Assert.Equal(Enumerable.Reverse(first), seen);
        Assert.All(page.GetProperty("items").EnumerateArray(), t => Assert.Matches("^[0-9a-f]{32}$", t.GetProperty("traceId").GetString()));
        await ProblemAsync(await Admin.GetAsync("/api/observability/traces?status=sleeping"), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task ARunObserved_HasItsTrace_ItsWaits_AndEveryStepWithTheSpanItsAgentReported()
    {
        var key = await CreateProjectAsync();
        var item = await ItemAsync(key);
        var (runId, span, stepSpans) = await ExecuteAsync(key, item, RunResult.Succeeded, 1.5, 2);

        var observed = await JsonAsync(await Admin.GetAsync($"/api/observability/runs/{runId}"));
        var trace = observed.GetProperty("run");

        var traceId = trace.GetProperty("traceId").GetString();
        Assert.Matches("^[0-9a-f]{32}$", traceId);
        Assert.Equal(span, trace.GetProperty("spanId").GetString());
        Assert.Equal($"00-{traceId}-{span}-01", observed.GetProperty("traceParent").GetString());
        Assert.Equal("observer-" + Label, trace.GetProperty("agent").GetString());
        Assert.True(trace.GetProperty("queueWaitSeconds").GetDouble() >= 0);
        Assert.Equal(JsonValueKind.Null, trace.GetProperty("approvalWaitSeconds").ValueKind);
        var steps = observed.GetProperty("steps").EnumerateArray().ToList();
        Assert.Equal(stepSpans, steps.Select(s => s.GetProperty("spanId").GetString()));
        Assert.Equal([1.5, 2.0], steps.Select(s => s.GetProperty("durationSeconds").GetDouble()));
        Assert.Equal(traceId, (await Admin.RunAsync(runId)).GetProperty("traceId").GetString());
        await ProblemAsync(await Admin.GetAsync("/api/observability/runs/987654321"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task StepHistory_GivesEachStepsPercentilesAndSuccessRate_FlagsASlowStep_AndAFlakyRecipe()
    {
        var key = await CreateProjectAsync();
        var item = await ItemAsync(key, "steps:\n  - name: compile\n    run: make\n");
        for (var i = 0; i < 5; i++)
        {
            await ExecuteAsync(key, item, RunResult.Succeeded, 1);
        }
        await ExecuteAsync(key, item, RunResult.Failed, 1);
        var (slowRun, _, _) = await ExecuteAsync(key, item, RunResult.Succeeded, 10);

        var history = await JsonAsync(await Admin.GetAsync($"/api/projects/{key}/work-items/{item}/step-history"));
        var observed = await JsonAsync(await Admin.GetAsync($"/api/observability/runs/{slowRun}"));

        Assert.Equal(7, history.GetProperty("runs").GetInt32());
        var compile = Assert.Single(history.GetProperty("steps").EnumerateArray());
        Assert.Equal(("compile", 7, 1.0, 10.0), (compile.GetProperty("name").GetString(), compile.GetProperty("runs").GetInt32(),
            compile.GetProperty("p50Seconds").GetDouble(), compile.GetProperty("p95Seconds").GetDouble()));
        Assert.Equal(6.0 / 7, compile.GetProperty("successRate").GetDouble(), 6);
        // Passed five times, failed, passed again, all with one recipe: its outcome flipped twice.
        var flaky = Assert.Single(history.GetProperty("flakyRecipes").EnumerateArray());
        Assert.Equal((6, 1), (flaky.GetProperty("succeeded").GetInt32(), flaky.GetProperty("failed").GetInt32()));
        Assert.True(observed.GetProperty("flaky").GetBoolean());
        var step = Assert.Single(observed.GetProperty("steps").EnumerateArray());
        Assert.True(step.GetProperty("slow").GetBoolean(), "10 s is past 1.5 x the usual p95 of 1 s");
        Assert.Equal(1.0, step.GetProperty("usualP95Seconds").GetDouble());
        await ProblemAsync(await Admin.GetAsync($"/api/projects/{key}/work-items/{item}/step-history?runs=0"), HttpStatusCode.BadRequest);
    }

    private static IEnumerable<long> Ids(JsonElement page) => page.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("runId").GetInt64());
}
