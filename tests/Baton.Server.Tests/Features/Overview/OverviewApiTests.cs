using System.Net;
using System.Net.Http.Json;
using Baton.Server.Tests.Infrastructure;

namespace Baton.Server.Tests.Features.Overview;

public sealed class SqliteOverviewApiTests(SqliteApplication app) : OverviewApiTests<SqliteApplication>(app);

public sealed class PostgresOverviewApiTests(PostgresApplication app) : OverviewApiTests<PostgresApplication>(app);

public abstract class OverviewApiTests<TApp>(TApp app) : ApiTestBase<TApp>(app) where TApp : BatonApplication
{
    [Fact]
    public async Task Overview_TracesVisionToRequirementsToWorkItems()
    {
        var key = await CreateProjectAsync();
        await Admin.PutAsJsonAsync($"/api/projects/{key}/vision", new { text = "v1" });
        await Admin.PutAsJsonAsync($"/api/projects/{key}/vision", new { text = "v2" });
        var approved = await Admin.RequirementAsync(key);
        await Admin.RequirementAsync(key, decision: null);
        await Admin.RequirementAsync(key, "reject");
        await Admin.WorkItemAsync(key, new { title = "Build", requirements = new[] { approved } });
        await Admin.WorkItemAsync(key, new { title = "Docs" });

        var response = await Admin.GetAsync($"/api/projects/{key}/overview");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var overview = await JsonAsync(response);
        Assert.Equal(2, overview.GetProperty("vision").GetProperty("version").GetInt32());
        var counts = overview.GetProperty("requirementCounts");
        Assert.Equal((1, 1, 1, 0), (counts.GetProperty("approved").GetInt32(), counts.GetProperty("proposed").GetInt32(),
            counts.GetProperty("rejected").GetInt32(), counts.GetProperty("superseded").GetInt32()));
        var first = overview.GetProperty("requirements")[0];
        Assert.Equal((approved, "approved"), (first.GetProperty("key").GetString(), first.GetProperty("status").GetString()));
        Assert.Equal(["Build"], first.GetProperty("workItems").EnumerateArray().Select(w => w.GetProperty("title").GetString()));
        Assert.Equal(["WI-2"], overview.GetProperty("unlinkedWorkItems").EnumerateArray().Select(w => w.GetProperty("key").GetString()));
        Assert.False(overview.GetProperty("requirementsTruncated").GetBoolean());
    }

    [Fact]
    public async Task Overview_OfAnEmptyProject_HasNoVision_AndZeroCounts()
    {
        var key = await CreateProjectAsync();

        var overview = await JsonAsync(await Admin.GetAsync($"/api/projects/{key}/overview"));

        Assert.Equal(System.Text.Json.JsonValueKind.Null, overview.GetProperty("vision").ValueKind);
        Assert.Equal(0, overview.GetProperty("requirementCounts").GetProperty("approved").GetInt32());
        Assert.Equal(0, overview.GetProperty("requirements").GetArrayLength());
        await ProblemAsync(await Admin.GetAsync("/api/projects/missing-one/overview"), HttpStatusCode.NotFound);
    }
}
