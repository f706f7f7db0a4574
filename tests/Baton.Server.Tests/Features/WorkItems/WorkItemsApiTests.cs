using System.Net;
using System.Net.Http.Json;
using Baton.Core.Access;
using Baton.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Baton.Server.Tests.Features.WorkItems;

public sealed class SqliteWorkItemsApiTests(SqliteApplication app) : WorkItemsApiTests<SqliteApplication>(app);

public sealed class PostgresWorkItemsApiTests(PostgresApplication app) : WorkItemsApiTests<PostgresApplication>(app);

public abstract class WorkItemsApiTests<TApp>(TApp app) : ApiTestBase<TApp>(app) where TApp : BatonApplication
{
    private Task<List<string>> StoredEdgesAsync(string key) => App.DbAsync(db =>
        (from d in db.WorkItemDependencies
         join w in db.WorkItems on d.WorkItemId equals w.Id
         join target in db.WorkItems on d.DependsOnId equals target.Id
         join p in db.Projects on w.ProjectId equals p.Id
         where p.Key == key
         orderby w.Number, target.Number
         select "WI-" + w.Number + "->WI-" + target.Number).ToListAsync());

    private Task<int> CountItemsAsync(string key) => App.DbAsync(db =>
        db.WorkItems.Join(db.Projects.Where(p => p.Key == key), w => w.ProjectId, p => p.Id, (w, _) => w).CountAsync());

    [Fact]
    public async Task Create_StoresLinksToApprovedRequirements_AndDependencies()
    {
        var key = await CreateProjectAsync(new { defaultLabels = new[] { "linux" } });
        var req = await Admin.RequirementAsync(key);
        var first = await Admin.WorkItemAsync(key);

        var response = await Admin.PostAsJsonAsync($"/api/projects/{key}/work-items",
            new { title = "Test", description = "run tests", requirements = new[] { req }, dependsOn = new[] { first }, priority = 5 });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await JsonAsync(response);
        Assert.Equal("WI-2", body.GetProperty("key").GetString());
        Assert.Equal([req], body.GetProperty("requirements").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["WI-1"], body.GetProperty("dependsOn").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["linux"], body.GetProperty("labels").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["WI-2->WI-1"], await StoredEdgesAsync(key));
        var linked = await App.DbAsync(db => db.WorkItemRequirements.CountAsync(l =>
            db.WorkItems.Any(w => w.Id == l.WorkItemId && w.Number == 2 && db.Projects.Any(p => p.Id == w.ProjectId && p.Key == key))));
        Assert.Equal(1, linked);
    }

    [Theory]
    [InlineData(null, "is proposed")]
    [InlineData("reject", "is rejected")]
    public async Task Create_RefusesRequirementsThatAreNotApproved_AndStoresNothing(string? decision, string expected)
    {
        var key = await CreateProjectAsync();
        var req = await Admin.RequirementAsync(key, decision);

        var response = await Admin.PostAsJsonAsync($"/api/projects/{key}/work-items", new { title = "x", requirements = new[] { req } });

        var problem = await ProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Contains($"{req} {expected}", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await CountItemsAsync(key));
        Assert.Equal(0, await App.DbAsync(db => db.Projects.Where(p => p.Key == key).Select(p => p.LastWorkItemNumber).SingleAsync()));
    }

    [Theory]
    [InlineData("requirements", "REQ-7", "REQ-7 does not exist")]
    [InlineData("dependsOn", "WI-7", "WI-7 does not exist")]
    [InlineData("dependsOn", "task-1", "'task-1' is not a work item key")]
    public async Task Create_AnswersUnprocessable_NamingAnUnknownKey(string field, string value, string expected)
    {
        var key = await CreateProjectAsync();
        var body = new Dictionary<string, object> { ["title"] = "x", [field] = new[] { value } };

        var problem = await ProblemAsync(await Admin.PostAsJsonAsync($"/api/projects/{key}/work-items", body), HttpStatusCode.UnprocessableEntity);

        Assert.Contains(expected, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
        Assert.Equal(0, await CountItemsAsync(key));
    }

    [Fact]
    public async Task Create_AnswersBadRequest_ForInvalidLabelsAndPriority()
    {
        var key = await CreateProjectAsync();

        var problem = await ProblemAsync(await Admin.PostAsJsonAsync($"/api/projects/{key}/work-items",
            new { title = "x", labels = new[] { "ok", "not ok" }, priority = 5000 }), HttpStatusCode.BadRequest);

        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("labels", out _));
        Assert.True(errors.TryGetProperty("priority", out _));
        Assert.Equal(0, await CountItemsAsync(key));
    }

    [Fact]
    public async Task Update_RefusesADependencyCycle_NamingIt_AndKeepsTheGraph()
    {
        var key = await CreateProjectAsync();
        await Admin.WorkItemAsync(key);
        await Admin.WorkItemAsync(key, new { title = "b", dependsOn = new[] { "WI-1" } });
        await Admin.WorkItemAsync(key, new { title = "c", dependsOn = new[] { "WI-2" } });
        var before = await StoredEdgesAsync(key);

        var response = await Admin.PatchAsJsonAsync($"/api/projects/{key}/work-items/WI-1", new { dependsOn = new[] { "WI-3" } });

        var problem = await ProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Contains("WI-1 -> WI-3 -> WI-2 -> WI-1", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await StoredEdgesAsync(key));
        await ProblemAsync(await Admin.PatchAsJsonAsync($"/api/projects/{key}/work-items/WI-2", new { dependsOn = new[] { "WI-2" } }), HttpStatusCode.UnprocessableEntity);
        Assert.Equal(before, await StoredEdgesAsync(key));
    }

    [Fact]
    public async Task Update_ChangesOnlyPresentFields_AndReplacesLists()
    {
        var key = await CreateProjectAsync();
        var req1 = await Admin.RequirementAsync(key);
        var req2 = await Admin.RequirementAsync(key);
        await Admin.WorkItemAsync(key);
        await Admin.WorkItemAsync(key);
        await Admin.WorkItemAsync(key, new { title = "c", requirements = new[] { req1 }, dependsOn = new[] { "WI-1" }, labels = new[] { "a" }, priority = 1 });

        var response = await Admin.PatchAsJsonAsync($"/api/projects/{key}/work-items/WI-3",
            new { requirements = new[] { req2 }, dependsOn = new[] { "WI-2" }, priority = 9 });

        var body = await JsonAsync(response);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(("c", 9), (body.GetProperty("title").GetString(), body.GetProperty("priority").GetInt32()));
        Assert.Equal([req2], body.GetProperty("requirements").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["a"], body.GetProperty("labels").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["WI-3->WI-2"], await StoredEdgesAsync(key));
    }

    [Fact]
    public async Task List_PagesInNumberOrder_AndGetAnswersNotFoundForUnknownItems()
    {
        var key = await CreateProjectAsync();
        for (var i = 0; i < 3; i++)
        {
            await Admin.WorkItemAsync(key);
        }

        var first = await JsonAsync(await Admin.GetAsync($"/api/projects/{key}/work-items?limit=2"));
        var rest = await JsonAsync(await Admin.GetAsync($"/api/projects/{key}/work-items?cursor={first.GetProperty("nextCursor").GetString()}"));

        Assert.Equal(["WI-1", "WI-2"], first.GetProperty("items").EnumerateArray().Select(w => w.GetProperty("key").GetString()));
        Assert.Equal(["WI-3"], rest.GetProperty("items").EnumerateArray().Select(w => w.GetProperty("key").GetString()));
        await ProblemAsync(await Admin.GetAsync($"/api/projects/{key}/work-items/WI-4"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Viewer_CannotCreate()
    {
        var key = await CreateProjectAsync();
        var viewer = App.Client(await App.TokenAsync(Role.Viewer));

        await ProblemAsync(await viewer.PostAsJsonAsync($"/api/projects/{key}/work-items", new { title = "x" }), HttpStatusCode.Forbidden);
        Assert.Equal(0, await CountItemsAsync(key));
    }
}
