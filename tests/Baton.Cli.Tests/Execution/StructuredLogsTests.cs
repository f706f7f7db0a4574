using System.Net.Http.Json;
using System.Text.Json;
using Baton.Tests.Support;

namespace Baton.Cli.Tests.Execution;

/// <summary>JSON log lines from a real server and a real agent: every line parses, and carries its request's or run's ids.</summary>
public sealed class StructuredLogsTests : IAsyncLifetime
{
    private ExecutionCluster _cluster = null!;

    public async Task InitializeAsync() =>
        _cluster = await ExecutionCluster.StartAsync("sqlite", new Dictionary<string, string>
        {
            ["BATON_Logs__Format"] = "json",
            ["BATON_Logging__LogLevel__Baton"] = "Debug",
        });

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task ServerAndAgent_WriteOneJsonObjectPerLine_WithRequestTraceAndRunIds()
    {
        var label = "j" + Guid.NewGuid().ToString("N")[..10];
        var agent = await _cluster.StartAgentAsync("json-" + label, label, options: "--log-format json");
        var (project, item) = await _cluster.WorkItemAsync("steps:\n  - name: hi\n    run: echo hi\n", label);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/projects/{project}/work-items/{item}/runs");
        request.Headers.Add("X-Request-Id", "json-logs-" + label);
        (await _cluster.Admin.SendAsync(request)).EnsureSuccessStatusCode();
        var runId = (await _cluster.Admin.GetFromJsonAsync<JsonElement>($"/api/runs?project={project}")).GetProperty("items")[0].GetProperty("id").GetInt64();
        var run = await _cluster.WaitForStatusAsync(runId, "succeeded");

        var server = await LineAsync(() => _cluster.Server.Output, l => Scope(l, "RequestId") == "json-logs-" + label, "a server line of the request");
        var agentLine = await LineAsync(() => agent.Output, l => Scope(l, "RunId") == runId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "an agent line of the run");

        Assert.Matches("^[0-9a-f]{32}$", Scope(server, "TraceId"));
        Assert.Equal(run.GetProperty("traceId").GetString(), Scope(agentLine, "TraceId"));
        Assert.All(new[] { server, agentLine }, l => Assert.True(l.TryGetProperty("Timestamp", out _) && l.TryGetProperty("LogLevel", out _)));
        // Apart from the agent's one banner line, every line is a JSON object.
        Assert.All(_cluster.Server.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith("Baton is up", StringComparison.Ordinal)),
            l => JsonDocument.Parse(l).Dispose());
    }

    private static async Task<JsonElement> LineAsync(Func<string> output, Func<JsonElement, bool> wanted, string what) =>
        (await Eventually.MatchesAsync(() => Task.FromResult(Lines(output()).Where(wanted).ToList()), found => found.Count > 0,
            ExecutionCluster.Deadline, what))[0];

    private static IEnumerable<JsonElement> Lines(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement.Clone());

    /// <summary>A value from the line's scopes (the JSON console formatter writes them as an array of objects and strings).</summary>
    private static string? Scope(JsonElement line, string name) =>
        line.TryGetProperty("Scopes", out var scopes)
            ? scopes.EnumerateArray().Where(s => s.ValueKind == JsonValueKind.Object && s.TryGetProperty(name, out _))
                .Select(s => s.GetProperty(name).ToString()).FirstOrDefault()
            : null;
}
