using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Baton.Ui.Tests.Projects;

/// <summary>Arranges data for the projects, approvals and plans pages through the API, as people would.</summary>
public static class UiArrange
{
    /// <summary>One quick step the embedded agent runs.</summary>
    public const string Recipe = "steps:\n  - name: build\n    run: echo build\n";

    /// <summary>A token of <paramref name="role"/> with a name the test knows (the actor its decisions are recorded under).</summary>
    public static async Task<(string Name, string Secret)> NamedTokenAsync(this UiServer server, string role)
    {
        ArgumentNullException.ThrowIfNull(server);
        var name = $"ui-{role}-{Guid.NewGuid():N}"[..24];
        var created = await UiServer.Json(await server.Api.PostAsJsonAsync("/api/tokens", new { name, role }));
        return (name, created.GetProperty("secret").GetString()!);
    }

    /// <summary>An API client acting with <paramref name="secret"/> (another person than the admin).</summary>
    public static HttpClient ClientFor(this UiServer server, string secret)
    {
        ArgumentNullException.ThrowIfNull(server);
        var client = new HttpClient { BaseAddress = new Uri(server.Url) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        return client;
    }

    public static async Task<string> ProposeAsync(this UiServer server, string project, string title, string description = "")
    {
        ArgumentNullException.ThrowIfNull(server);
        var created = await UiServer.Json(await server.Api.PostAsJsonAsync($"/api/projects/{project}/requirements",
            new { title, description, acceptanceCriteria = new[] { "it works" } }));
        return created.GetProperty("key").GetString()!;
    }

    public static async Task<string> ApprovedAsync(this UiServer server, string project, string title)
    {
        var key = await server.ProposeAsync(project, title);
        await UiServer.Json(await server.Api.PostAsJsonAsync($"/api/projects/{project}/requirements/{key}/approve", new { }));
        return key;
    }

    public static async Task<JsonElement> RequirementAsync(this UiServer server, string project, string key)
    {
        ArgumentNullException.ThrowIfNull(server);
        return await UiServer.Json(await server.Api.GetAsync($"/api/projects/{project}/requirements/{key}"));
    }

    /// <summary>A work item for the embedded agent (label <c>local</c>) with a recipe; returns its key.</summary>
    public static async Task<string> WorkItemAsync(this UiServer server, string project, string title, string[]? requirements = null,
        string[]? dependsOn = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        var created = await UiServer.Json(await server.Api.PostAsJsonAsync($"/api/projects/{project}/work-items",
            new { title, labels = new[] { "local" }, requirements, dependsOn }));
        var key = created.GetProperty("key").GetString()!;
        await UiServer.Json(await server.Api.PutAsync($"/api/projects/{project}/work-items/{key}/recipe",
            new StringContent(Recipe, Encoding.UTF8, "application/yaml")));
        return key;
    }

    /// <summary>Makes runs of the project wait for one approval (the requester may not give it).</summary>
    public static async Task RequireRunApprovalAsync(this UiServer server, string project)
    {
        ArgumentNullException.ThrowIfNull(server);
        await UiServer.Json(await server.Api.PatchAsJsonAsync($"/api/projects/{project}",
            new { policy = new { runApprovalRequired = true, requiredApprovals = 1, selfApprovalAllowed = false } }));
    }
}
