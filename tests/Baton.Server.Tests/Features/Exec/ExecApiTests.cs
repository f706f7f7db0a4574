using System.Net;
using System.Net.Http.Json;
using System.Text;
using Baton.Core.Access;
using Baton.Core.WorkItems;
using Baton.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Baton.Server.Tests.Features.Exec;

public sealed class SqliteExecApiTests(SqliteApplication app) : ExecApiTests<SqliteApplication>(app);

public sealed class PostgresExecApiTests(PostgresApplication app) : ExecApiTests<PostgresApplication>(app);

public abstract class ExecApiTests<TApp>(TApp app) : ApiTestBase<TApp>(app) where TApp : BatonApplication
{
    private const string Recipe = "name: ad hoc\nsteps:\n  - name: hello\n    run: echo hello\n  - name: bye\n    run: echo bye\n";

    private static StringContent Yaml(string yaml) => new(yaml, Encoding.UTF8, "application/yaml");

    [Fact]
    public async Task Exec_RunsTheRecipeAsSent_OnTheAdHocItem_WhichNoPlanGraphOrListShows()
    {
        var key = await CreateProjectAsync();
        var planned = await Admin.RunnableAsync(key);
        var label = "exec-" + key;

        var response = await Admin.PostAsync($"/api/projects/{key}/exec?label={label}", Yaml(Recipe));
        var second = await JsonAsync(await Admin.PostAsync($"/api/projects/{key}/exec", Yaml(Recipe)));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var run = await JsonAsync(response);
        Assert.Equal(("WI-0", "exec", "queued", 1), (run.GetProperty("workItem").GetString(), run.GetProperty("trigger").GetString(),
            run.GetProperty("status").GetString(), run.GetProperty("number").GetInt32()));
        Assert.Equal(["hello", "bye"], run.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        Assert.Equal([label], run.GetProperty("labels").EnumerateArray().Select(l => l.GetString()));
        Assert.Equal(2, second.GetProperty("number").GetInt32());

        // An agent with the label gets the recipe as sent.
        var agent = await App.AgentClientAsync();
        var agentId = await agent.RegisterAsync("exec-agent-" + key, [label]);
        var claimed = await agent.ClaimAsync(agentId);
        Assert.Equal(run.GetProperty("id").GetInt64(), claimed!.RunId);
        Assert.Equal(["hello", "bye"], claimed.Recipe.Steps.Select(s => s.Name));

        // The ad-hoc item is no one's to plan, link or list.
        var items = await JsonAsync(await Admin.GetAsync($"/api/projects/{key}/work-items"));
        Assert.Equal([planned], items.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("key").GetString()));
        var plan = await JsonAsync(await Admin.PostAsJsonAsync($"/api/projects/{key}/plans", new { }));
        Assert.Equal([planned], plan.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("workItem").GetString()));
        var overview = await JsonAsync(await Admin.GetAsync($"/api/projects/{key}/overview"));
        Assert.Equal([planned], overview.GetProperty("unlinkedWorkItems").EnumerateArray().Select(i => i.GetProperty("key").GetString()));
        await ProblemAsync(await Admin.GetAsync($"/api/projects/{key}/work-items/WI-0"), HttpStatusCode.NotFound);
        await ProblemAsync(await Admin.PostAsJsonAsync($"/api/projects/{key}/work-items", new { title = "x", dependsOn = new[] { "WI-0" } }),
            HttpStatusCode.UnprocessableEntity);
        Assert.Equal(1, await App.DbAsync(db => db.WorkItems.CountAsync(w =>
            w.Number == WorkItem.AdHocNumber && db.Projects.Any(p => p.Id == w.ProjectId && p.Key == key))));
    }

    [Fact]
    public async Task Exec_RefusesWhatCannotRun_WithLineAndColumn_WritingNothing()
    {
        var key = await CreateProjectAsync();
        var viewer = App.Client(await App.TokenAsync(Role.Viewer));

        var invalid = await ProblemAsync(await Admin.PostAsync($"/api/projects/{key}/exec", Yaml("steps:\n  - name: a\n    rn: echo\n")),
            HttpStatusCode.BadRequest);
        var badLabel = await ProblemAsync(await Admin.PostAsync($"/api/projects/{key}/exec?label=no%20spaces", Yaml(Recipe)),
            HttpStatusCode.BadRequest);
        await ProblemAsync(await Admin.PostAsync("/api/projects/no-such-project/exec", Yaml(Recipe)), HttpStatusCode.NotFound);
        await ProblemAsync(await Admin.PostAsync($"/api/projects/{key}/exec", new StringContent(Recipe, Encoding.UTF8, "application/json")),
            HttpStatusCode.UnsupportedMediaType);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync($"/api/projects/{key}/exec", Yaml(Recipe))).StatusCode);

        Assert.Contains("first at line 2, column 5: missing key 'run'", invalid.GetProperty("detail").GetString());
        Assert.True(badLabel.GetProperty("errors").TryGetProperty("label", out _));
        Assert.Equal((0, 0), await App.DbAsync(async db => (
            await db.Runs.CountAsync(r => db.Projects.Any(p => p.Id == r.ProjectId && p.Key == key)),
            await db.WorkItems.CountAsync(w => db.Projects.Any(p => p.Id == w.ProjectId && p.Key == key)))));
    }
}
