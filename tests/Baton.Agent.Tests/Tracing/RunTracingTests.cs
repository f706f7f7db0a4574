using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Baton.Agent.Hosting;
using Baton.Agent.Tests.Hosting;
using Baton.Agent.Tracing;
using Baton.Contracts.Agents;
using Baton.Contracts.Recipes;
using Baton.Contracts.Runs;
using Baton.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Baton.Agent.Tests.Tracing;

/// <summary>The spans an agent makes of a run it executes, and the TRACEPARENT its steps see.</summary>
public sealed class RunTracingTests : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly ConcurrentQueue<Activity> _spans = new();
    private readonly ActivityListener _listener;
    private readonly string _directory = Directory.CreateTempSubdirectory("baton-tracing-").FullName;
    private readonly HttpClient _http = AgentHost.CreateHttpClient();
    private readonly CancellationTokenSource _stop = new();
    private FakeAgentServer _server = null!;

    public RunTracingTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == AgentTracing.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _spans.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public async Task InitializeAsync() => _server = await FakeAgentServer.StartAsync();

    [Fact]
    public async Task ARun_IsOneSpanFromItsCreation_WithItsWaitsAndASpanPerStep_AndEachStepSeesItsSpanAsTraceParent()
    {
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        var created = TimeProvider.System.GetUtcNow().AddSeconds(-30);
        var queued = created.AddSeconds(20);
        var claimed = queued.AddSeconds(5);
        var host = new AgentHost(new AgentOptions { Server = _server.Url, Token = FakeAgentServer.Token, WorkDirectory = _directory, Name = "tracer" },
            _http, NullLoggerFactory.Instance, TimeProvider.System).RunAsync(_stop.Token);
        var run = _server.Queue(new ClaimedRun
        {
            RunId = 31, Epoch = 1, Attempt = 1, Project = "demo", WorkItem = "WI-4", RecipeHash = "hash", FirstLine = 1, MaxLogBytes = 1_000_000,
            LeaseSeconds = 5, RenewSeconds = 1, Environment = new Dictionary<string, string>(),
            Recipe = new RecipeSpec
            {
                Steps = [new RecipeStep { Name = "build", Run = "echo \"$TRACEPARENT\"; sleep 0.2" }, new RecipeStep { Name = "test", Run = "echo \"$TRACEPARENT\"; exit 2" }],
            },
            Trace = new RunTrace(traceId, created, queued, claimed, ApprovalRequired: true),
        });

        var complete = await Eventually.ReturnsAsync(() => Task.FromResult(run.Completed), Deadline, "the run to complete");
        var spans = await Eventually.ReturnsAsync(() => Task.FromResult(Mine(traceId) is { Count: 5 } all ? all : null), Deadline, "the run's five spans");
        await _stop.CancelAsync();
        await host.WaitAsync(Deadline);

        var root = Assert.Single(spans, s => s.DisplayName == "run demo/WI-4");
        Assert.Equal((default, created.UtcDateTime), (root.ParentSpanId, root.StartTimeUtc));
        Assert.Equal((ActivityStatusCode.Error, "failed"), (root.Status, root.GetTagItem("baton.outcome")));
        Assert.Equal(root.SpanId.ToHexString(), complete.SpanId);
        var approval = Assert.Single(spans, s => s.DisplayName == "approval wait");
        var queue = Assert.Single(spans, s => s.DisplayName == "queue wait");
        Assert.Equal((created.UtcDateTime, queued.UtcDateTime), (approval.StartTimeUtc, approval.StartTimeUtc + approval.Duration));
        Assert.Equal((queued.UtcDateTime, claimed.UtcDateTime), (queue.StartTimeUtc, queue.StartTimeUtc + queue.Duration));
        var steps = spans.Where(s => s.DisplayName.StartsWith("step ", StringComparison.Ordinal)).OrderBy(s => s.StartTimeUtc).ToList();
        Assert.Equal(["step build", "step test"], steps.Select(s => s.DisplayName));
        Assert.All(new[] { approval, queue, steps[0], steps[1] }, child => Assert.Equal(root.SpanId, child.ParentSpanId));
        Assert.True(steps[0].Duration >= TimeSpan.FromMilliseconds(200) && steps[0].StartTimeUtc + steps[0].Duration <= steps[1].StartTimeUtc,
            "the build step's span lasts its sleep and ends before the test step's begins");
        Assert.Equal((ActivityStatusCode.Ok, ActivityStatusCode.Error), (steps[0].Status, steps[1].Status));
        Assert.Equal(2, steps[1].GetTagItem("process.exit.code"));
        // Each step's processes see that step's span as their parent.
        var parents = run.Lines.Select(l => l.Text).Where(t => t.StartsWith("00-", StringComparison.Ordinal)).ToList();
        Assert.Equal(steps.Select(s => $"00-{traceId}-{s.SpanId.ToHexString()}-01"), parents);
        // The server is told each step's span, in a step update or in the completion.
        var reported = (complete.Steps ?? []).Select(s => (s.Index, s.SpanId)).Concat(run.StepUpdates.Select(s => (s.Index, s.Update.SpanId)))
            .Where(s => s.SpanId is not null).DistinctBy(s => s.Index).OrderBy(s => s.Index).Select(s => s.SpanId);
        Assert.Equal(steps.Select(s => s.SpanId.ToHexString()), reported);
    }

    private List<Activity> Mine(string traceId) => [.. _spans.Where(s => s.TraceId.ToHexString() == traceId)];

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose()
    {
        _listener.Dispose();
        _http.Dispose();
        _stop.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
