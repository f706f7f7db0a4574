using System.Net;
using System.Net.WebSockets;
using Baton.Server.Infrastructure.Origins;
using Baton.Server.Tests.Infrastructure;

namespace Baton.Server.Tests.Infrastructure.Origins;

/// <summary>A server that lists one other origin.</summary>
public sealed class OneOriginApplication : SqliteApplication
{
    public const string Listed = "https://ui.example.com";

    public OneOriginApplication() => Settings["Origins:Allowed"] = Listed + ", https://ops.example.com:8443";
}

/// <summary>CORS and WebSocket origins: the server's own and the listed ones; no other web page.</summary>
public sealed class OriginsTests(OneOriginApplication app) : ApiTestBase<OneOriginApplication>(app)
{
    private const string Elsewhere = "https://evil.example.net";

    private async Task<HttpResponseMessage> FromAsync(string origin, HttpMethod method, string path, bool preflight = false)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("Origin", origin);
        if (preflight)
        {
            request.Headers.Add("Access-Control-Request-Method", "POST");
            request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
        }
        return await (preflight ? App.Client(null) : Admin).SendAsync(request);
    }

    private static string? AllowedOrigin(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Access-Control-Allow-Origin", out var values) ? values.Single() : null;

    private async Task<long> QueuedRunAsync()
    {
        var key = await CreateProjectAsync();
        var item = await Admin.RunnableAsync(key, new { title = "item", labels = new[] { "o" + Guid.NewGuid().ToString("N")[..8] } });
        return await Admin.StartRunAsync(key, item);
    }

    private async Task<WebSocket> OpenStreamAsync(long runId, string? origin)
    {
        var client = App.Server.CreateWebSocketClient();
        client.ConfigureRequest = request =>
        {
            request.Headers.Authorization = $"Bearer {BatonApplication.AdminToken}";
            if (origin is not null)
            {
                request.Headers.Origin = origin;
            }
        };
        return await client.ConnectAsync(new Uri($"ws://localhost/api/runs/{runId}/logs/stream"), CancellationToken.None);
    }

    [Fact]
    public async Task Cors_AnswersListedOriginsOnly()
    {
        Assert.Equal(OneOriginApplication.Listed, AllowedOrigin(await FromAsync(OneOriginApplication.Listed, HttpMethod.Get, "/api/projects")));
        Assert.Equal("https://ops.example.com:8443", AllowedOrigin(await FromAsync("https://ops.example.com:8443", HttpMethod.Get, "/api/projects")));
        Assert.Null(AllowedOrigin(await FromAsync(Elsewhere, HttpMethod.Get, "/api/projects")));
        Assert.Null(AllowedOrigin(await FromAsync("https://ops.example.com", HttpMethod.Get, "/api/projects")));

        var preflight = await FromAsync(OneOriginApplication.Listed, HttpMethod.Options, "/api/projects", preflight: true);
        Assert.Equal(HttpStatusCode.NoContent, preflight.StatusCode);
        Assert.Equal(OneOriginApplication.Listed, AllowedOrigin(preflight));
        Assert.Null(AllowedOrigin(await FromAsync(Elsewhere, HttpMethod.Options, "/api/projects", preflight: true)));
    }

    [Fact]
    public async Task LiveStreams_OpenWithoutAnOrigin_FromTheOwnHost_OrAListedOrigin_AndNeverFromAnotherPage()
    {
        var runId = await QueuedRunAsync();

        foreach (var origin in new[] { null, "http://localhost", OneOriginApplication.Listed })
        {
            using var socket = await OpenStreamAsync(runId, origin);
            Assert.Equal(WebSocketState.Open, socket.State);
        }
        foreach (var origin in new[] { Elsewhere, "http://localhost.evil.example.net", "null" })
        {
            var refused = await Assert.ThrowsAnyAsync<Exception>(() => OpenStreamAsync(runId, origin));
            Assert.Contains("403", refused.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("https://ci.example.com", true)]
    [InlineData("https://ci.example.com:8443, http://10.0.0.5:5080", true)]
    [InlineData("", true)]
    [InlineData("https://ci.example.com/", false)]
    [InlineData("https://ci.example.com/ui", false)]
    [InlineData("ci.example.com", false)]
    [InlineData("ftp://ci.example.com", false)]
    [InlineData("*", false)]
    public void TheAllowList_TakesOriginsOnly_AndNamesTheSettingOtherwise(string allowed, bool valid)
    {
        var problem = new OriginOptions { Allowed = allowed }.Validate();

        Assert.Equal(valid, problem is null);
        if (!valid)
        {
            Assert.StartsWith("BATON_Origins__Allowed:", problem, StringComparison.Ordinal);
        }
    }
}
