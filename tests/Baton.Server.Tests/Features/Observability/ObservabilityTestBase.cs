using System.Diagnostics;
using System.Net.Http.Json;
using Baton.Contracts.Agents;
using Baton.Contracts.Json;
using Baton.Contracts.Runs;
using Baton.Core.Access;
using Baton.Server.Tests.Infrastructure;

namespace Baton.Server.Tests.Features.Observability;

/// <summary>Runs with known outcomes and step times, executed by the test acting as the agent.</summary>
public abstract class ObservabilityTestBase<TApp>(TApp app) : ApiTestBase<TApp>(app) where TApp : BatonApplication
{
    protected const string TwoSteps = "steps:\n  - name: build\n    run: echo build\n  - name: test\n    run: echo test\n";
    protected string Label { get; } = "o" + Guid.NewGuid().ToString("N")[..10];
    private HttpClient? _agent;
    private long _agentId;

    protected async Task<string> ItemAsync(string key, string yaml = TwoSteps) =>
        await Admin.RunnableAsync(key, new { title = "observed", labels = new[] { Label } }, yaml);

    /// <summary>Starts a run and executes it: each step took the given seconds (null: skipped), the run ends with <paramref name="result"/>.</summary>
    protected Task<(long RunId, string SpanId, IReadOnlyList<string> StepSpans)> ExecuteAsync(string key, string item, RunResult result,
        params double?[] stepSeconds) => ExecuteWithLogAsync(key, item, result, 0, stepSeconds);

    /// <summary>The same, with <paramref name="logLines"/> lines of log sent before the end.</summary>
    protected async Task<(long RunId, string SpanId, IReadOnlyList<string> StepSpans)> ExecuteWithLogAsync(string key, string item, RunResult result,
        int logLines, params double?[] stepSeconds)
    {
        if (_agent is null)
        {
            _agent = await App.AgentClientAsync();
            _agentId = await _agent.RegisterAsync("observer-" + Label, [Label], capacity: 4);
        }
        var runId = await Admin.StartRunAsync(key, item);
        var claimed = (await _agent.ClaimAsync(_agentId))!;
        Assert.Equal(runId, claimed.RunId);
        var at = TimeProvider.System.GetUtcNow().AddSeconds(-stepSeconds.Sum(s => s ?? 0) - 1);
        var steps = new List<StepState>();
        for (var i = 0; i < stepSeconds.Length; i++)
        {
            if (stepSeconds[i] is not { } seconds)
            {
                steps.Add(new StepState(i, StepStatus.Skipped, 0, null, null, null));
                continue;
            }
            var last = i == stepSeconds.Length - 1 || stepSeconds[i + 1] is null;
            var status = last && result != RunResult.Succeeded ? StepStatus.Failed : StepStatus.Succeeded;
            steps.Add(new StepState(i, status, 1, status == StepStatus.Succeeded ? 0 : 3, at, at.AddSeconds(seconds), ActivitySpanId.CreateRandom().ToHexString()));
            at = at.AddSeconds(seconds);
        }
        if (logLines > 0)
        {
            (await _agent.SendLogsAsync(runId, claimed.Epoch, seq: 1, firstLine: 1, count: logLines)).EnsureSuccessStatusCode();
        }
        var span = ActivitySpanId.CreateRandom().ToHexString();
        var answer = await _agent.PostAsJsonAsync($"/api/runs/{runId}/complete",
            new CompleteRequest(claimed.Epoch, result, result == RunResult.Succeeded ? 0 : 3, Steps: steps, SpanId: span), BatonJson.Options);
        answer.EnsureSuccessStatusCode();
        return (runId, span, [.. steps.Select(s => s.SpanId ?? "")]);
    }
}
