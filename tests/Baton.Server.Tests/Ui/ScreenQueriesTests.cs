using System.Net.Http.Json;
using Baton.Contracts.Runs;
using Baton.Persistence;
using Baton.Server.Features.Plans;
using Baton.Server.Features.Projects;
using Baton.Server.Features.Requirements;
using Baton.Server.Features.Vision;
using Baton.Server.Features.WorkItems;
using Baton.Server.Tests.Infrastructure;
using Baton.Server.Ui.Approvals;
using Baton.Server.Ui.Dashboard;
using Baton.Server.Ui.Insights;
using Baton.Server.Ui.Projects;
using Baton.Server.Ui.Runs;
using Microsoft.Extensions.DependencyInjection;

namespace Baton.Server.Tests.Ui;

public sealed class SqliteScreenQueriesTests(SqliteApplication app) : ScreenQueriesTests<SqliteApplication>(app);

public sealed class PostgresScreenQueriesTests(PostgresApplication app) : ScreenQueriesTests<PostgresApplication>(app);

/// <summary>
/// The reads only the web UI makes (its pages run them in the server, not through the API), on both providers:
/// each translates to SQL there and answers what was arranged. The UI tests in a browser run on SQLite only.
/// </summary>
public abstract class ScreenQueriesTests<TApp>(TApp app) : ApiTestBase<TApp>(app) where TApp : BatonApplication
{
    [Fact]
    public async Task EveryScreensRead_AnswersWhatWasArranged()
    {
        var label = "t" + Guid.NewGuid().ToString("N")[..10];
        var key = await CreateProjectAsync(new { runApprovalRequired = true, selfApprovalAllowed = true });
        await Admin.PutAsJsonAsync($"/api/projects/{key}/vision", new { text = "one\ntwo" });
        await Admin.PutAsJsonAsync($"/api/projects/{key}/vision", new { text = "one\nthree" });
        var approved = await Admin.RequirementAsync(key);
        var proposed = await Admin.RequirementAsync(key, decision: null);
        var build = await Admin.RunnableAsync(key, new { title = "Build", labels = new[] { label }, requirements = new[] { approved } });
        var ship = await Admin.RunnableAsync(key, new { title = "Ship", labels = new[] { label }, dependsOn = new[] { build } });
        var pending = await Admin.StartRunAsync(key, ship);
        var finished = await Admin.StartRunAsync(key, build);
        (await Admin.PostAsJsonAsync($"/api/runs/{finished}/approve", new { })).EnsureSuccessStatusCode();
        var agent = await App.AgentClientAsync();
        var claimed = (await agent.ClaimAsync(await agent.RegisterAsync("screens-" + label, [label])))!;
        (await agent.CompleteAsync(claimed.RunId, claimed.Epoch, RunResult.Succeeded)).EnsureSuccessStatusCode();
        (await Admin.PostAsJsonAsync($"/api/projects/{key}/plans", new { workItems = new[] { ship } })).EnsureSuccessStatusCode();

        await using var scope = App.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<BatonDbContext>();
        var projectId = (await db.FindIdAsync(key, CancellationToken.None)).Value;

        var dashboard = await DashboardView.ReadAsync(services, CancellationToken.None);
        Assert.Contains(dashboard.RecentRuns, r => r.Id == finished);
        Assert.Contains(dashboard.Agents, a => a.Name == "screens-" + label);
        var insights = await InsightsView.ReadAsync(services, key, CancellationToken.None);
        Assert.Equal((key, 1), (insights.Selected.Project, insights.Selected.RunDuration.Count));
        Assert.Contains(insights.PerProject, p => p.Project == key);
        var list = (await ActivatorUtilities.CreateInstance<RunListQuery>(services)
            .ReadAsync(RunListFilter.From(key, null, null, "day", null), TimeProvider.System.GetUtcNow(), CancellationToken.None)).Value!;
        Assert.Subset(list.Rows.Select(r => r.Id).ToHashSet(), new HashSet<long> { finished, pending });
        Assert.Equal(list.Rows.Select(r => r.Id).OrderDescending(), list.Rows.Select(r => r.Id));
        Assert.Equal("screens-" + label, list.Rows.Single(r => r.Id == finished).Agent);
        var inbox = await ApprovalInbox.PendingRunsAsync(services, 100, CancellationToken.None);
        Assert.Contains(inbox, p => p.Run.Id == pending);
        Assert.Contains(await db.ProposedRequirementsAsync(100, CancellationToken.None), r => r.Requirement.Key == proposed);
        Assert.Contains(await db.ProjectSummariesAsync(200, CancellationToken.None), p => p.Key == key);
        Assert.Equal(2, (await db.RequirementsAsync(projectId, CancellationToken.None)).Count);
        Assert.Equal(2, (await db.VisionVersionsAsync(projectId, CancellationToken.None)).Count);
        var graph = await db.WorkItemGraphAsync(projectId, CancellationToken.None);
        Assert.Equal(2, graph.Count);
        Assert.Contains(await db.RecentPlansAsync(50, CancellationToken.None), p => p.Project == key);
        var project = await ProjectView.LoadAsync(db, key, CancellationToken.None);
        Assert.NotNull(project);
    }
}
