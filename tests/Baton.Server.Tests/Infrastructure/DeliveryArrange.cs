using System.Net;
using System.Net.Http.Json;

namespace Baton.Server.Tests.Infrastructure;

/// <summary>Arranges requirements and work items through the API, as a user would.</summary>
public static class DeliveryArrange
{
    /// <summary>Proposes a requirement and, when asked, approves or rejects it; returns its key.</summary>
    public static async Task<string> RequirementAsync(this HttpClient client, string project, string? decision = "approve")
    {
        ArgumentNullException.ThrowIfNull(client);
        var created = await client.PostAsJsonAsync($"/api/projects/{project}/requirements", new { title = "requirement" });
        var key = (await created.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("key").GetString()!;
        if (decision is not null)
        {
            object body = decision == "reject" ? new { reason = "because" } : new { comment = "because" };
            var decided = await client.PostAsJsonAsync($"/api/projects/{project}/requirements/{key}/{decision}", body);
            Assert.Equal(HttpStatusCode.OK, decided.StatusCode);
        }
        return key;
    }

    public static async Task<string> WorkItemAsync(this HttpClient client, string project, object? body = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        var response = await client.PostAsJsonAsync($"/api/projects/{project}/work-items", body ?? new { title = "item" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("key").GetString()!;
    }
}
