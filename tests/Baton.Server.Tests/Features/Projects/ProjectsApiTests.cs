using System.Net;
using System.Net.Http.Json;
using System.Text;
using Baton.Core.Access;
using Baton.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Baton.Server.Tests.Features.Projects;

public sealed class SqliteProjectsApiTests(SqliteApplication app) : ProjectsApiTests<SqliteApplication>(app);

public sealed class PostgresProjectsApiTests(PostgresApplication app) : ProjectsApiTests<PostgresApplication>(app);

public abstract class ProjectsApiTests<TApp>(TApp app) : ApiTestBase<TApp>(app) where TApp : BatonApplication
{
    [Fact]
    public async Task Create_StoresProject_AndAnswersCreatedWithLocation()
    {
        var key = NewKey();
        var response = await Admin.PostAsJsonAsync("/api/projects", new
        {
            key,
            name = "Payments",
            description = "Card payments",
            policy = new { runApprovalRequired = true, requiredApprovals = 2, defaultLabels = new[] { "linux", "linux", "x64" } },
        });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/api/projects/{key}", response.Headers.Location?.ToString());
        var body = await JsonAsync(response);
        Assert.Equal("Payments", body.GetProperty("name").GetString());
        Assert.Equal(2, body.GetProperty("policy").GetProperty("requiredApprovals").GetInt32());
        Assert.Equal("bootstrap-admin", body.GetProperty("createdBy").GetString());
        var stored = await App.DbAsync(db => db.Projects.SingleAsync(p => p.Key == key));
        Assert.Equal("Card payments", stored.Description);
        Assert.True(stored.RunApprovalRequired);
        Assert.Equal(["linux", "x64"], stored.DefaultLabels);
    }

    [Fact]
    public async Task Create_AnswersConflict_ForDuplicateKey_AndKeepsTheFirst()
    {
        var key = await CreateProjectAsync();

        var response = await Admin.PostAsJsonAsync("/api/projects", new { key, name = "Second" });

        var problem = await ProblemAsync(response, HttpStatusCode.Conflict);
        Assert.Contains(key, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, await App.DbAsync(db => db.Projects.CountAsync(p => p.Key == key)));
        Assert.Equal($"Project {key}", await App.DbAsync(db => db.Projects.Where(p => p.Key == key).Select(p => p.Name).SingleAsync()));
    }

    [Theory]
    [InlineData("""{"key":"Bad Key","name":"x"}""", "key")]
    [InlineData("""{"key":"ok-key","name":"   "}""", "name")]
    [InlineData("""{"key":"ok-key","name":"x","policy":{"requiredApprovals":0}}""", "policy.requiredApprovals")]
    [InlineData("""{"key":"ok-key","name":"x","policy":{"defaultLabels":["has space"]}}""", "policy.defaultLabels")]
    public async Task Create_AnswersBadRequest_NamingTheInvalidField(string json, string field)
    {
        var response = await Admin.PostAsync("/api/projects", new StringContent(json, Encoding.UTF8, "application/json"));

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"errors name '{field}': {problem}");
        Assert.False(await App.DbAsync(db => db.Projects.AnyAsync(p => p.Key == "ok-key")));
    }

    [Theory]
    [InlineData("""{"key":"k1","name":"x""", "malformed JSON")]
    [InlineData("""{"key":"k1","name":5}""", "$.name")]
    [InlineData("""{"key":"k1"}""", "'name'")]
    [InlineData("""{"key":"k1","name":"x","colour":"red"}""", "unknown field 'colour'")]
    [InlineData("""{"key":"k1","name":null}""", "name")]
    [InlineData("", "this request needs a JSON body")]
    [InlineData("[]", "the body must be a JSON object")]
    public async Task Create_AnswersBadRequest_ForUnreadableJson(string json, string expected)
    {
        var response = await Admin.PostAsync("/api/projects", new StringContent(json, Encoding.UTF8, "application/json"));

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(expected, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_PagesThroughAllProjects_WithCursor()
    {
        for (var i = 0; i < 3; i++)
        {
            await CreateProjectAsync();
        }
        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await JsonAsync(await Admin.GetAsync($"/api/projects?limit=2&cursor={cursor}"));
            var items = page.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("key").GetString()!).ToList();
            Assert.InRange(items.Count, 1, 2);
            seen.AddRange(items);
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        var stored = await App.DbAsync(db => db.Projects.OrderBy(p => p.Id).Select(p => p.Key).ToListAsync());
        Assert.Equal(stored, seen);
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=abc", "limit")]
    [InlineData("cursor=not-a-cursor", "cursor")]
    public async Task List_AnswersBadRequest_ForInvalidPaging(string query, string field)
    {
        var problem = await ProblemAsync(await Admin.GetAsync($"/api/projects?{query}"), HttpStatusCode.BadRequest);
        Assert.Contains(field, problem.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_AnswersNotFound_NamingTheKey()
    {
        var problem = await ProblemAsync(await Admin.GetAsync("/api/projects/no-such-project"), HttpStatusCode.NotFound);
        Assert.Contains("no-such-project", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_ChangesOnlyTheFieldsPresent()
    {
        var key = await CreateProjectAsync(new { runApprovalRequired = true, requiredApprovals = 3 });

        var response = await Admin.PatchAsJsonAsync($"/api/projects/{key}", new { description = "new text", policy = new { selfApprovalAllowed = true } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stored = await App.DbAsync(db => db.Projects.SingleAsync(p => p.Key == key));
        Assert.Equal($"Project {key}", stored.Name);
        Assert.Equal("new text", stored.Description);
        Assert.True(stored.RunApprovalRequired);
        Assert.Equal(3, stored.RequiredApprovals);
        Assert.True(stored.SelfApprovalAllowed);
    }

    [Fact]
    public async Task Writes_NeedMaintainer_ReadsNeedViewer()
    {
        var viewer = App.Client(await App.TokenAsync(Role.Viewer));
        var maintainer = App.Client(await App.TokenAsync(Role.Maintainer));
        var agent = await App.AgentClientAsync();
        var key = NewKey();

        await ProblemAsync(await viewer.PostAsJsonAsync("/api/projects", new { key, name = "x" }), HttpStatusCode.Forbidden);
        Assert.False(await App.DbAsync(db => db.Projects.AnyAsync(p => p.Key == key)));
        Assert.Equal(HttpStatusCode.Created, (await maintainer.PostAsJsonAsync("/api/projects", new { key, name = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync($"/api/projects/{key}")).StatusCode);
        await ProblemAsync(await agent.GetAsync($"/api/projects/{key}"), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Every_Project_Route_NeedsAToken()
    {
        var anonymous = App.Client(token: null);
        var key = await CreateProjectAsync();

        var response = await anonymous.GetAsync($"/api/projects/{key}");

        await ProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        await ProblemAsync(await App.Client("baton_wrong-token-value-000000000000").GetAsync("/api/projects"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Create_WritesAnAuditEvent_WithTheActor()
    {
        var key = await CreateProjectAsync();

        var audit = await App.DbAsync(db => db.AuditEvents.SingleAsync(a => a.Subject == $"project:{key}"));
        Assert.Equal("project.created", audit.Action);
        Assert.Equal("bootstrap-admin", audit.Actor);
    }
}
