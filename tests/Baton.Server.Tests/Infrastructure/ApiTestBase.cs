using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Baton.Contracts.Agents;
using Baton.Contracts.Json;

namespace Baton.Server.Tests.Infrastructure;

/// <summary>
/// Base of API test classes. Each feature's tests are written once in an abstract class and
/// run on both providers through two tiny subclasses (SqliteXxx, PostgresXxx).
/// </summary>
public abstract class ApiTestBase<TApp>(TApp app) : IClassFixture<TApp> where TApp : BatonApplication
{
    protected TApp App { get; } = app;

    protected HttpClient Admin { get; } = app.Client();

    /// <summary>A project key no other test uses.</summary>
    protected static string NewKey() => "p-" + Guid.NewGuid().ToString("N")[..12];

    protected async Task<string> CreateProjectAsync(object? policy = null)
    {
        var key = NewKey();
        var response = await Admin.PostAsJsonAsync("/api/projects", new { key, name = $"Project {key}", policy }, BatonJson.Options);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return key;
    }

    /// <summary>
    /// A run of its own (a new project, a labelled work item, the run), claimed by a new agent named
    /// <paramref name="agentName"/> plus the label: for tests of what an agent does with a run it holds.
    /// </summary>
    protected async Task<(long RunId, ClaimedRun Claimed, HttpClient Agent)> RunningAsync(string agentName = "runner")
    {
        var label = "a" + Guid.NewGuid().ToString("N")[..10];
        var key = await CreateProjectAsync();
        var item = await Admin.RunnableAsync(key, new { title = "item", labels = new[] { label } });
        var runId = await Admin.StartRunAsync(key, item);
        var agent = await App.AgentClientAsync();
        var claimed = (await agent.ClaimAsync(await agent.RegisterAsync($"{agentName}-{label}", [label])))!;
        return (runId, claimed, agent);
    }

    protected static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Asserts <paramref name="status"/>; else fails with the body and the errors the server logged.</summary>
    protected async Task AssertStatusAsync(HttpStatusCode status, HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.StatusCode != status)
        {
            Assert.Fail($"expected {(int)status}, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}{Environment.NewLine}{App.Logs.Errors()}");
        }
    }

    /// <summary>Asserts a ProblemDetails answer with <paramref name="status"/>; returns its body.</summary>
    protected static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        ArgumentNullException.ThrowIfNull(response);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.True(problem.TryGetProperty("requestId", out _), "problem details carry the request id");
        return problem;
    }
}
