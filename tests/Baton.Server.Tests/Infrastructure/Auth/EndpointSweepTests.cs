using System.Net;
using System.Text.RegularExpressions;
using Baton.Core.Access;
using Baton.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Baton.Server.Tests.Infrastructure.Auth;

/// <summary>
/// Every endpoint the server maps, read from its route table, so that a new endpoint is covered the day
/// it is added: without credentials 401 (only health, ping and the API description are open), and with a
/// viewer token every write 403 (only the read-only recipe check and the UI session's login and logout are writes a viewer may send).
/// </summary>
public sealed partial class EndpointSweepTests(SqliteApplication app) : ApiTestBase<SqliteApplication>(app)
{
    private static readonly string[] Open = ["/healthz/live", "/healthz/ready", "/api/ping", "/openapi/{documentName}.json"];
    // The API reference UI (Scalar) serves its page and assets under /docs.
    private const string DocsUi = "/docs/";
    // Logging in (POST) and out (DELETE) of a UI session are not writes: a viewer's session grants only what its token does.
    private static readonly string[] ViewerMayPost = ["/api/recipes/validate", "/api/session/"];
    private static readonly string[] Writes = ["POST", "PUT", "PATCH", "DELETE"];

    /// <param name="ContentType">What the endpoint accepts (JSON unless it says otherwise): a wrong one would be refused with 415 first.</param>
    private sealed record Route(string Method, string Pattern, bool Anonymous, string ContentType)
    {
        public string Path => Parameter().Replace(Pattern, match => match.Value.Contains(":long", StringComparison.Ordinal)
            || match.Value.Contains(":int", StringComparison.Ordinal) ? "1" : "x1");
    }

    private List<Route> Routes() =>
        [.. App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(endpoint => (endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(method => new Route(method, "/" + endpoint.RoutePattern.RawText!.TrimStart('/'),
                    endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null,
                    endpoint.Metadata.GetMetadata<IAcceptsMetadata>() is { ContentTypes.Count: > 0 } accepts ? accepts.ContentTypes[0] : "application/json")))
            .Where(route => route.Method != "OPTIONS")
            .Distinct()];

    private static HttpRequestMessage Request(Route route) => new(new HttpMethod(route.Method), route.Path)
    {
        Content = route.Method is "GET" or "DELETE" ? null : new StringContent("{}", System.Text.Encoding.UTF8, route.ContentType),
    };

    [Fact]
    public void TheRouteTable_IsReadWhole_AndOnlyHealthPingAndTheApiDescriptionAreOpen()
    {
        var routes = Routes();

        Assert.True(routes.Count > 50, $"only {routes.Count} routes read");
        Assert.Contains(routes, r => r is { Method: "POST", Pattern: "/api/runs/{id:long}/complete" });
        var open = routes.Where(r => r.Anonymous).Select(r => r.Pattern).ToHashSet();
        Assert.Subset(open, Open.ToHashSet());
        Assert.DoesNotContain(open, pattern => !Open.Contains(pattern) && !pattern.StartsWith(DocsUi, StringComparison.Ordinal));
        Assert.Contains(open, pattern => pattern.StartsWith(DocsUi, StringComparison.Ordinal));
    }

    [Fact]
    public async Task WithoutCredentials_EveryClosedEndpointAnswers401()
    {
        var anonymous = App.Client(null);
        var wrong = new List<string>();
        foreach (var route in Routes().Where(r => !r.Anonymous))
        {
            using var request = Request(route);
            var response = await anonymous.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.Unauthorized)
            {
                wrong.Add($"{route.Method} {route.Path}: {(int)response.StatusCode}");
            }
        }

        Assert.Empty(wrong);
    }

    [Fact]
    public async Task WithAViewerToken_EveryWriteAnswers403()
    {
        var viewer = App.Client(await App.TokenAsync(Role.Viewer));
        var wrong = new List<string>();
        var writes = Routes().Where(r => !r.Anonymous && Writes.Contains(r.Method) && !ViewerMayPost.Contains(r.Pattern)).ToList();
        foreach (var route in writes)
        {
            using var request = Request(route);
            var response = await viewer.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.Forbidden)
            {
                wrong.Add($"{route.Method} {route.Path}: {(int)response.StatusCode}");
            }
        }

        Assert.True(writes.Count > 20, $"only {writes.Count} writes found");
        Assert.Empty(wrong);
    }

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex Parameter();
}
