using System.Net;
using System.Text.RegularExpressions;
using Baton.Core.Access;
using Baton.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Baton.Server.Tests.Infrastructure.Auth;

/// <summary>
/// Every endpoint the server maps, read from its route table, so that a new endpoint is covered the day
/// it is added: without credentials 401 (only health, ping and the API description are open), and with a
/// viewer token every write 403 (only the read-only recipe check and the UI session's login and logout are writes a viewer may send).
/// The web UI adds its login page and static assets (open), its pages (a browser without a session is sent to the login
/// page) and its circuit's hub (a viewer may open it: the pages are reads).
/// </summary>
public sealed partial class EndpointSweepTests(SqliteApplication app) : ApiTestBase<SqliteApplication>(app)
{
    private static readonly string[] Open = ["/healthz/live", "/healthz/ready", "/api/ping", "/openapi/{documentName}.json"];
    // The API reference UI (Scalar) serves its page and assets under /docs.
    private const string DocsUi = "/docs/";
    // Logging in (POST) and out (DELETE) of a UI session are not writes: a viewer's session grants only what its token does.
    private static readonly string[] ViewerMayPost = ["/api/recipes/validate", "/api/session/"];
    private static readonly string[] Writes = ["POST", "PUT", "PATCH", "DELETE"];
    private const string LoginPage = "/login";
    private const string Circuit = "/_blazor";

    /// <param name="ContentType">What the endpoint accepts (JSON unless it says otherwise): a wrong one would be refused with 415 first.</param>
    private sealed record Route(string Method, string Pattern, bool Anonymous, string ContentType, bool IsPage, bool IsAsset)
    {
        public string Path => Parameter().Replace(Pattern, match => match.Value.Contains(":long", StringComparison.Ordinal)
            || match.Value.Contains(":int", StringComparison.Ordinal) ? "1" : "x1");
    }

    private List<Route> Routes() =>
        [.. App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(endpoint => (endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(method => new Route(method, "/" + endpoint.RoutePattern.RawText!.TrimStart('/'),
                    endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null,
                    endpoint.Metadata.GetMetadata<IAcceptsMetadata>() is { ContentTypes.Count: > 0 } accepts ? accepts.ContentTypes[0] : "application/json",
                    endpoint.Metadata.GetMetadata<ComponentTypeMetadata>() is not null,
                    IsStaticAsset(endpoint))))
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
        var open = routes.Where(r => r.Anonymous && !r.IsAsset).Select(r => r.Pattern).ToHashSet();
        Assert.Subset(open, Open.Append(LoginPage).ToHashSet());
        Assert.DoesNotContain(open, pattern => !Open.Contains(pattern) && pattern != LoginPage && !pattern.StartsWith(DocsUi, StringComparison.Ordinal));
        Assert.Contains(open, pattern => pattern.StartsWith(DocsUi, StringComparison.Ordinal));
        Assert.True(routes.Any(r => r is { IsAsset: true, Anonymous: true, Pattern: "/_framework/blazor.web.js" }),
            string.Join("\n", routes.Where(r => !r.Pattern.StartsWith("/api", StringComparison.Ordinal)).Select(r => $"{r.Method} {r.Pattern} anon={r.Anonymous} asset={r.IsAsset} page={r.IsPage}")));
        Assert.DoesNotContain(routes, r => r.IsAsset && !r.Anonymous);
        Assert.Contains(routes, r => r is { IsPage: true, Pattern: "/", Anonymous: false });
    }

    [Fact]
    public async Task WithoutCredentials_EveryClosedEndpointAnswers401()
    {
        // Not following redirects: a page's answer is the redirect to the login page itself.
        var anonymous = App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var wrong = new List<string>();
        foreach (var route in Routes().Where(r => !r.Anonymous))
        {
            using var request = Request(route);
            var response = await anonymous.SendAsync(request);
            if (route.IsPage && route.Method == "GET")
            {
                if (response.StatusCode != HttpStatusCode.Redirect || response.Headers.Location?.OriginalString.StartsWith(LoginPage + "?returnUrl=", StringComparison.Ordinal) != true)
                {
                    wrong.Add($"{route.Method} {route.Path}: {(int)response.StatusCode} {response.Headers.Location} (a page sends to the login page)");
                }
            }
            else if (response.StatusCode != HttpStatusCode.Unauthorized)
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
        // The circuit's hub is how a page reads; a page's POST is a form post, refused without Blazor's anti-forgery token (below).
        var writes = Routes().Where(r => !r.Anonymous && Writes.Contains(r.Method) && !ViewerMayPost.Contains(r.Pattern)
            && !r.Pattern.StartsWith(Circuit, StringComparison.Ordinal) && !r.IsPage).ToList();
        foreach (var route in writes)
        {
            using var request = Request(route);
            var response = await viewer.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.Forbidden)
            {
                wrong.Add($"{route.Method} {route.Path}: {(int)response.StatusCode}");
            }
        }

        foreach (var route in Routes().Where(r => r.IsPage && r.Method == "POST"))
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, route.Path) { Content = new FormUrlEncodedContent([new("x", "1")]) };
            var response = await viewer.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.BadRequest)
            {
                wrong.Add($"{route.Method} {route.Path}: {(int)response.StatusCode} (a form post without anti-forgery token)");
            }
        }

        Assert.True(writes.Count > 20, $"only {writes.Count} writes found");
        Assert.Empty(wrong);
    }

    // MapStaticAssets' endpoints carry the file's content type and ETag as metadata, not a marker type; their patterns are files.
    private static bool IsStaticAsset(RouteEndpoint endpoint) =>
        endpoint.DisplayName?.Contains("StaticAsset", StringComparison.OrdinalIgnoreCase) == true
        || (endpoint.RoutePattern.RawText is { } raw && !raw.StartsWith("api/", StringComparison.Ordinal) && !raw.StartsWith("/api/", StringComparison.Ordinal)
            && !raw.Contains('{', StringComparison.Ordinal) && Path.HasExtension(raw) && !raw.EndsWith(".json", StringComparison.Ordinal));

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex Parameter();
}
