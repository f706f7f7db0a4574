using System.Net;
using System.Text.Json;
using Baton.Server.Tests.Infrastructure;

namespace Baton.Server.Tests.Features.Health;

public sealed class SqliteHealthApiTests(SqliteApplication app) : HealthApiTests<SqliteApplication>(app);

public sealed class PostgresHealthApiTests(PostgresApplication app) : HealthApiTests<PostgresApplication>(app);

public abstract class HealthApiTests<TApp>(TApp app) : ApiTestBase<TApp>(app) where TApp : BatonApplication
{
    [Theory]
    [InlineData("/healthz/live", "live")]
    [InlineData("/healthz/ready", "ready")]
    [InlineData("/api/ping", "pong")]
    public async Task HealthAndPing_AnswerWithoutAToken(string path, string status)
    {
        var response = await App.Client(token: null).GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(status, (await JsonAsync(response)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task UnknownApiRoutes_AreClosedByDefault()
    {
        await ProblemAsync(await App.Client(token: null).GetAsync("/api/not-a-route"), HttpStatusCode.Unauthorized);
        var problem = await ProblemAsync(await Admin.GetAsync("/api/not-a-route"), HttpStatusCode.NotFound);
        Assert.Contains("/api/not-a-route", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestId_FromTheCaller_IsEchoed_AndInEveryLogEntryOfTheRequest()
    {
        var requestId = "test-" + Guid.NewGuid().ToString("N");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/projects/does-not-exist");
        request.Headers.Add("X-Request-Id", requestId);

        var response = await Admin.SendAsync(request);

        Assert.Equal(requestId, response.Headers.GetValues("X-Request-Id").Single());
        Assert.Equal(requestId, (await ProblemAsync(response, HttpStatusCode.NotFound)).GetProperty("requestId").GetString());
        var entries = App.Logs.Entries.Where(e => e.Scope.GetValueOrDefault("RequestId") == requestId).ToList();
        Assert.Contains(entries, e => e.Message.Contains("HTTP GET /api/projects/does-not-exist responded 404", StringComparison.Ordinal));
        Assert.DoesNotContain(App.Logs.Entries, e => e.Message.Contains("/api/projects/does-not-exist", StringComparison.Ordinal)
            && e.Scope.GetValueOrDefault("RequestId") != requestId);
    }

    [Fact]
    public async Task RequestId_IsGenerated_WhenMissingOrUnsafe()
    {
        using var unsafeRequest = new HttpRequestMessage(HttpMethod.Get, "/api/ping");
        unsafeRequest.Headers.TryAddWithoutValidation("X-Request-Id", new string('x', 300));

        var plain = await Admin.GetAsync("/api/ping");
        var replaced = await Admin.SendAsync(unsafeRequest);

        Assert.Matches("^[0-9a-f]{32}$", plain.Headers.GetValues("X-Request-Id").Single());
        Assert.Matches("^[0-9a-f]{32}$", replaced.Headers.GetValues("X-Request-Id").Single());
    }

    [Fact]
    public async Task OpenApiDocument_DescribesEveryOperation_WithItsErrors()
    {
        var response = await App.Client(token: null).GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var paths = document.GetProperty("paths");
        foreach (var path in new[] { "/api/projects", "/api/projects/{key}/requirements/{reqKey}/approve", "/api/projects/{key}/work-items/{wiKey}/recipe", "/api/recipes/validate", "/api/tokens", "/api/projects/{key}/overview" })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"{path} is documented");
        }
        foreach (var operation in paths.EnumerateObject().SelectMany(p => p.Value.EnumerateObject()))
        {
            Assert.True(operation.Value.GetProperty("tags").GetArrayLength() > 0);
            Assert.False(string.IsNullOrWhiteSpace(operation.Value.GetProperty("summary").GetString()));
            var responses = operation.Value.GetProperty("responses");
            foreach (var status in new[] { "400", "404", "409", "413", "422", "429" })
            {
                Assert.True(responses.TryGetProperty(status, out _), $"{operation.Name} documents {status}");
            }
        }
        Assert.True(document.GetProperty("components").GetProperty("securitySchemes").TryGetProperty("bearer", out _));
        var docs = await App.Client(token: null).GetAsync("/docs/");
        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
        Assert.Equal("text/html", docs.Content.Headers.ContentType?.MediaType);
    }
}
