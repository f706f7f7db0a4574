using System.Net;
using System.Net.Http.Json;
using Baton.Core.Access;
using Baton.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Baton.Server.Tests.Features.Vision;

public sealed class SqliteVisionApiTests(SqliteApplication app) : VisionApiTests<SqliteApplication>(app);

public sealed class PostgresVisionApiTests(PostgresApplication app) : VisionApiTests<PostgresApplication>(app);

public abstract class VisionApiTests<TApp>(TApp app) : ApiTestBase<TApp>(app) where TApp : BatonApplication
{
    [Fact]
    public async Task Submit_CreatesANewVersionEachTime_AndGetAnswersTheLatest()
    {
        var key = await CreateProjectAsync();

        for (var i = 1; i <= 3; i++)
        {
            var response = await Admin.PutAsJsonAsync($"/api/projects/{key}/vision", new { text = $"version {i}" });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            Assert.Equal(i, (await JsonAsync(response)).GetProperty("version").GetInt32());
        }

        var current = await JsonAsync(await Admin.GetAsync($"/api/projects/{key}/vision"));
        Assert.Equal(3, current.GetProperty("version").GetInt32());
        Assert.Equal("version 3", current.GetProperty("text").GetString());
        var stored = await App.DbAsync(db => db.VisionVersions
            .Join(db.Projects.Where(p => p.Key == key), v => v.ProjectId, p => p.Id, (v, _) => v)
            .OrderBy(v => v.Version).Select(v => v.Text).ToListAsync());
        Assert.Equal(["version 1", "version 2", "version 3"], stored);
    }

    [Fact]
    public async Task Versions_ListsEveryVersionInOrder_InPages()
    {
        var key = await CreateProjectAsync();
        for (var i = 1; i <= 3; i++)
        {
            await Admin.PutAsJsonAsync($"/api/projects/{key}/vision", new { text = $"v{i}" });
        }

        var first = await JsonAsync(await Admin.GetAsync($"/api/projects/{key}/vision/versions?limit=2"));
        var second = await JsonAsync(await Admin.GetAsync($"/api/projects/{key}/vision/versions?limit=2&cursor={first.GetProperty("nextCursor").GetString()}"));

        Assert.Equal([1, 2], first.GetProperty("items").EnumerateArray().Select(v => v.GetProperty("version").GetInt32()));
        Assert.Equal([3], second.GetProperty("items").EnumerateArray().Select(v => v.GetProperty("version").GetInt32()));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, second.GetProperty("nextCursor").ValueKind);
    }

    [Fact]
    public async Task Get_AnswersNotFound_BeforeTheFirstVision()
    {
        var key = await CreateProjectAsync();

        var problem = await ProblemAsync(await Admin.GetAsync($"/api/projects/{key}/vision"), HttpStatusCode.NotFound);
        Assert.Contains("no vision yet", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_AnswersBadRequest_ForBlankText_AndStoresNothing()
    {
        var key = await CreateProjectAsync();

        var problem = await ProblemAsync(await Admin.PutAsJsonAsync($"/api/projects/{key}/vision", new { text = "  " }), HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty("text", out _));
        Assert.False(await App.DbAsync(db => db.VisionVersions.Join(db.Projects.Where(p => p.Key == key), v => v.ProjectId, p => p.Id, (v, _) => v).AnyAsync()));
    }

    [Fact]
    public async Task Submit_AnswersNotFound_ForAnUnknownProject()
    {
        await ProblemAsync(await Admin.PutAsJsonAsync("/api/projects/nope-nope/vision", new { text = "x" }), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Viewer_CanRead_ButNotSubmit()
    {
        var key = await CreateProjectAsync();
        await Admin.PutAsJsonAsync($"/api/projects/{key}/vision", new { text = "v1" });
        var viewer = App.Client(await App.TokenAsync(Role.Viewer));

        await ProblemAsync(await viewer.PutAsJsonAsync($"/api/projects/{key}/vision", new { text = "v2" }), HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync($"/api/projects/{key}/vision")).StatusCode);
        Assert.Equal(1, (await JsonAsync(await viewer.GetAsync($"/api/projects/{key}/vision"))).GetProperty("version").GetInt32());
    }
}
