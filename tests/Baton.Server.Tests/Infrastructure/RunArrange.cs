using System.Net;
using System.Net.Http.Json;
using System.Text;
using Baton.Contracts.Agents;
using Baton.Contracts.Json;

namespace Baton.Server.Tests.Infrastructure;

/// <summary>Arranges recipes, runs and agents through the API, as users and agents would.</summary>
public static class RunArrange
{
    public const string TwoSteps = "steps:\n  - name: build\n    run: echo build\n  - name: test\n    run: echo test\n";

    public static async Task SetRecipeAsync(this HttpClient client, string project, string workItem, string yaml = TwoSteps)
    {
        ArgumentNullException.ThrowIfNull(client);
        var response = await client.PutAsync($"/api/projects/{project}/work-items/{workItem}/recipe",
            new StringContent(yaml, Encoding.UTF8, "application/yaml"));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>A work item with a recipe; returns its key.</summary>
    public static async Task<string> RunnableAsync(this HttpClient client, string project, object? body = null, string yaml = TwoSteps)
    {
        var item = await client.WorkItemAsync(project, body);
        await client.SetRecipeAsync(project, item, yaml);
        return item;
    }

    public static async Task<long> StartRunAsync(this HttpClient client, string project, string workItem)
    {
        ArgumentNullException.ThrowIfNull(client);
        var response = await client.PostAsync($"/api/projects/{project}/work-items/{workItem}/runs", null);
        Assert.True(HttpStatusCode.Created == response.StatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetInt64();
    }

    public static async Task<long> RegisterAsync(this HttpClient agent, string name, string[]? labels = null, int capacity = 1)
    {
        ArgumentNullException.ThrowIfNull(agent);
        var response = await agent.PostAsJsonAsync("/api/agents/register", new RegisterAgentRequest(name, labels ?? [], capacity, "test"), BatonJson.Options);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<RegisterAgentResponse>(BatonJson.Options))!.AgentId;
    }

    /// <summary>One claim; null when the server answered 204.</summary>
    public static async Task<ClaimedRun?> ClaimAsync(this HttpClient agent, long agentId, int waitSeconds = 0)
    {
        ArgumentNullException.ThrowIfNull(agent);
        var response = await agent.PostAsJsonAsync($"/api/agents/{agentId}/claim", new ClaimRequest(waitSeconds), BatonJson.Options);
        if (response.StatusCode == HttpStatusCode.NoContent)
        {
            return null;
        }
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<ClaimedRun>(BatonJson.Options);
    }

    public static Task<HttpResponseMessage> SendLogsAsync(this HttpClient agent, long runId, long epoch, long seq, long firstLine, int count,
        int? step = 0, LogSourceName stream = LogSourceName.Stdout)
    {
        ArgumentNullException.ThrowIfNull(agent);
        var lines = Enumerable.Range(0, count)
            .Select(i => new LogBatchLine(firstLine + i, TimeProvider.System.GetUtcNow(), step, stream, $"line {firstLine + i}")).ToList();
        return agent.PostAsJsonAsync($"/api/runs/{runId}/logs", new LogBatch(epoch, seq, lines), BatonJson.Options);
    }

    public static Task<HttpResponseMessage> CompleteAsync(this HttpClient agent, long runId, long epoch,
        Baton.Contracts.Runs.RunResult result = Baton.Contracts.Runs.RunResult.Succeeded, int? exitCode = 0)
    {
        ArgumentNullException.ThrowIfNull(agent);
        return agent.PostAsJsonAsync($"/api/runs/{runId}/complete", new CompleteRequest(epoch, result, exitCode), BatonJson.Options);
    }

    public static async Task<System.Text.Json.JsonElement> RunAsync(this HttpClient client, long runId)
    {
        ArgumentNullException.ThrowIfNull(client);
        var response = await client.GetAsync($"/api/runs/{runId}");
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
    }
}
