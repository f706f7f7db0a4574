using System.Net;
using System.Net.Http.Json;
using Baton.Core.Access;
using Baton.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Baton.Server.Tests.Features.Runs;

public sealed class SqliteRunsApiTests(SqliteApplication app) : RunsApiTests<SqliteApplication>(app);

public sealed class PostgresRunsApiTests(PostgresApplication app) : RunsApiTests<PostgresApplication>(app);

public abstract class RunsApiTests<TApp>(TApp app) : ApiTestBase<TApp>(app) where TApp : BatonApplication
{
    private static readonly object TwoApprovals = new { runApprovalRequired = true, requiredApprovals = 2 };

    [Fact]
    public async Task Create_SnapshotsTheRecipe_QueuesTheRun_WithItsStepsPending()
    {
        var key = await CreateProjectAsync();
        var item = await Admin.RunnableAsync(key, new { title = "build", labels = new[] { "linux" } });
        var recipe = await JsonAsync(await Admin.GetAsync($"/api/projects/{key}/work-items/{item}/recipe"));

        var response = await Admin.PostAsync($"/api/projects/{key}/work-items/{item}/runs", null);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var run = await JsonAsync(response);
        Assert.Equal($"/api/runs/{run.GetProperty("id").GetInt64()}", response.Headers.Location?.OriginalString);
        Assert.Equal("queued", run.GetProperty("status").GetString());
        Assert.Equal((1, 1, 2), (run.GetProperty("number").GetInt32(), run.GetProperty("attempt").GetInt32(), run.GetProperty("maxAttempts").GetInt32()));
        Assert.Equal(recipe.GetProperty("contentHash").GetString(), run.GetProperty("recipeHash").GetString());
        Assert.Equal(["linux"], run.GetProperty("labels").EnumerateArray().Select(l => l.GetString()));
        Assert.Equal(["build", "test"], run.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        Assert.All(run.GetProperty("steps").EnumerateArray(), s => Assert.Equal("pending", s.GetProperty("status").GetString()));
        Assert.Matches("no agent is online|no online agent has labels linux", run.GetProperty("waitingReason").GetString());

        // Changing the recipe afterwards does not change what the run executes.
        await Admin.SetRecipeAsync(key, item, "steps:\n  - name: other\n    run: echo other\n");
        var again = await Admin.RunAsync(run.GetProperty("id").GetInt64());
        Assert.Equal(run.GetProperty("recipeHash").GetString(), again.GetProperty("recipeHash").GetString());
        Assert.Equal(2, (await Admin.RunAsync(await Admin.StartRunAsync(key, item))).GetProperty("number").GetInt32());
    }

    [Fact]
    public async Task Create_RefusesWhatCannotRun_WithoutWritingAnything()
    {
        var key = await CreateProjectAsync();
        var bare = await Admin.WorkItemAsync(key);
        var item = await Admin.RunnableAsync(key);

        var noRecipe = await ProblemAsync(await Admin.PostAsync($"/api/projects/{key}/work-items/{bare}/runs", null), HttpStatusCode.Conflict);
        var noItem = await ProblemAsync(await Admin.PostAsync($"/api/projects/{key}/work-items/WI-999/runs", null), HttpStatusCode.NotFound);
        var notAKey = await ProblemAsync(await Admin.PostAsync($"/api/projects/{key}/work-items/task-1/runs", null), HttpStatusCode.NotFound);
        var noProject = await ProblemAsync(await Admin.PostAsync($"/api/projects/no-such-{key}/work-items/{item}/runs", null), HttpStatusCode.NotFound);
        var badPriority = await ProblemAsync(
            await Admin.PostAsJsonAsync($"/api/projects/{key}/work-items/{item}/runs", new { priority = 5000 }), HttpStatusCode.BadRequest);
        var viewer = App.Client(await App.TokenAsync(Role.Viewer));
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync($"/api/projects/{key}/work-items/{item}/runs", null)).StatusCode);

        Assert.Equal($"{bare} has no recipe yet: PUT /api/projects/{key}/work-items/{bare}/recipe first", noRecipe.GetProperty("detail").GetString());
        Assert.Equal($"work item WI-999 does not exist in project '{key}'", noItem.GetProperty("detail").GetString());
        Assert.Equal("'task-1' is not a work item key (WI-<number>)", notAKey.GetProperty("detail").GetString());
        Assert.Equal($"project 'no-such-{key}' does not exist", noProject.GetProperty("detail").GetString());
        Assert.True(badPriority.GetProperty("errors").TryGetProperty("priority", out _));
        Assert.Equal(0, await App.DbAsync(db => db.Runs.CountAsync(r => db.Projects.Any(p => p.Id == r.ProjectId && p.Key == key))));
    }

    [Fact]
    public async Task Approval_NeedsTwoDistinctMaintainers_NotTheRequester_ThenQueues()
    {
        var key = await CreateProjectAsync(TwoApprovals);
        var item = await Admin.RunnableAsync(key);
        var requester = App.Client(await App.TokenAsync(Role.Maintainer, "requester-" + key));
        var first = App.Client(await App.TokenAsync(Role.Maintainer, "first-" + key));
        var second = App.Client(await App.TokenAsync(Role.Admin, "second-" + key));
        var viewer = App.Client(await App.TokenAsync(Role.Viewer));
        var runId = await requester.StartRunAsync(key, item);
        var approve = $"/api/runs/{runId}/approve";

        var pending = await Admin.RunAsync(runId);
        var self = await ProblemAsync(await requester.PostAsJsonAsync(approve, new { comment = "mine" }), HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsJsonAsync(approve, new { })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await first.PostAsJsonAsync(approve, new { comment = "looks right" })).StatusCode);
        var halfway = await Admin.RunAsync(runId);
        await ProblemAsync(await first.PostAsJsonAsync(approve, new { }), HttpStatusCode.Conflict);
        var done = await JsonAsync(await second.PostAsJsonAsync(approve, new { }));

        Assert.Equal(("pending_approval", "waiting for approval (0 of 2)"),
            (pending.GetProperty("status").GetString(), pending.GetProperty("waitingReason").GetString()));
        Assert.Contains("does not allow approving one's own run", self.GetProperty("detail").GetString());
        Assert.Equal("waiting for approval (1 of 2)", halfway.GetProperty("waitingReason").GetString());
        Assert.Equal("queued", done.GetProperty("status").GetString());
        Assert.Equal(2, done.GetProperty("approval").GetProperty("approvals").GetInt32());
        Assert.Equal("approved", done.GetProperty("approval").GetProperty("outcome").GetString());
        var audited = await App.DbAsync(db => db.AuditEvents.Where(e => e.Subject == $"run:{runId}").Select(e => e.Action).ToListAsync());
        Assert.Equal(2, audited.Count(a => a == "run.approved"));
    }

    [Fact]
    public async Task Approval_IsBoundToTheRecipeHash_AndSelfApprovalWorksWhenThePolicyAllowsIt()
    {
        var key = await CreateProjectAsync(new { runApprovalRequired = true, requiredApprovals = 1, selfApprovalAllowed = true });
        var item = await Admin.RunnableAsync(key);
        var runId = await Admin.StartRunAsync(key, item);

        var wrongHash = await ProblemAsync(
            await Admin.PostAsJsonAsync($"/api/runs/{runId}/approve", new { recipeHash = "sha256:" + new string('0', 64) }), HttpStatusCode.Conflict);
        var approved = await JsonAsync(await Admin.PostAsJsonAsync($"/api/runs/{runId}/approve", new { comment = "mine, allowed" }));

        Assert.Contains("not the one this decision names", wrongHash.GetProperty("detail").GetString());
        Assert.Equal("queued", approved.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Reject_EndsTheRunWithTheReason_AndNeedsOne()
    {
        var key = await CreateProjectAsync(TwoApprovals);
        var item = await Admin.RunnableAsync(key);
        var runId = await Admin.StartRunAsync(key, item);
        var reviewer = App.Client(await App.TokenAsync(Role.Maintainer));

        var noReason = await ProblemAsync(await reviewer.PostAsJsonAsync($"/api/runs/{runId}/reject", new { reason = " " }), HttpStatusCode.BadRequest);
        var rejected = await JsonAsync(await reviewer.PostAsJsonAsync($"/api/runs/{runId}/reject", new { reason = "not during the freeze" }));
        var late = await ProblemAsync(await reviewer.PostAsJsonAsync($"/api/runs/{runId}/approve", new { }), HttpStatusCode.Conflict);

        Assert.True(noReason.GetProperty("errors").TryGetProperty("reason", out _));
        Assert.Equal("cancelled", rejected.GetProperty("status").GetString());
        Assert.EndsWith(": not during the freeze", rejected.GetProperty("statusReason").GetString());
        Assert.Equal("rejected", rejected.GetProperty("approval").GetProperty("outcome").GetString());
        Assert.Contains("not waiting for approval", late.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Cancel_EndsAQueuedRun_AndASecondCancelConflicts()
    {
        var key = await CreateProjectAsync();
        var item = await Admin.RunnableAsync(key);
        var runId = await Admin.StartRunAsync(key, item);

        var cancelled = await JsonAsync(await Admin.PostAsync($"/api/runs/{runId}/cancel", null));
        var again = await ProblemAsync(await Admin.PostAsync($"/api/runs/{runId}/cancel", null), HttpStatusCode.Conflict);

        Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());
        Assert.NotNull(cancelled.GetProperty("finishedAt").GetString());
        Assert.Contains("already ended cancelled", again.GetProperty("detail").GetString());
        await ProblemAsync(await Admin.PostAsync("/api/runs/987654321/cancel", null), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Detail_OfAWaitingRun_IsReadAfresh_AndOfAFinishedOne_IsAnsweredFromMemory()
    {
        var key = await CreateProjectAsync();
        var item = await Admin.RunnableAsync(key);
        var runId = await Admin.StartRunAsync(key, item);
        Assert.Equal("queued", (await Admin.RunAsync(runId)).GetProperty("status").GetString());
        await App.DbAsync(db => db.Runs.Where(r => r.Id == runId).ExecuteUpdateAsync(set => set.SetProperty(r => r.Priority, 7)));
        Assert.Equal(7, (await Admin.RunAsync(runId)).GetProperty("priority").GetInt32());

        (await Admin.PostAsync($"/api/runs/{runId}/cancel", null)).EnsureSuccessStatusCode();
        var finished = await Admin.RunAsync(runId);
        // A finished run never changes, so the replica keeps its detail: an edit behind the server's back (only a hand
        // edit can change a finished run) stays unseen for the cache's lifetime, which shows no database trip was made.
        await App.DbAsync(db => db.Runs.Where(r => r.Id == runId).ExecuteUpdateAsync(set => set.SetProperty(r => r.Priority, 9)));
        var again = await Admin.RunAsync(runId);

        Assert.Equal("cancelled", finished.GetProperty("status").GetString());
        Assert.Equal(finished.ToString(), again.ToString());
        Assert.Equal(7, again.GetProperty("priority").GetInt32());
    }

    [Fact]
    public async Task List_FiltersByProjectWorkItemAndStatus_NewestFirst_InPages()
    {
        var key = await CreateProjectAsync();
        var first = await Admin.RunnableAsync(key);
        var second = await Admin.RunnableAsync(key);
        var ids = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await Admin.StartRunAsync(key, first));
        }
        ids.Add(await Admin.StartRunAsync(key, second));
        await Admin.PostAsync($"/api/runs/{ids[0]}/cancel", null);

        var page1 = await JsonAsync(await Admin.GetAsync($"/api/runs?project={key}&limit=3"));
        var page2 = await JsonAsync(await Admin.GetAsync($"/api/runs?project={key}&limit=3&cursor={page1.GetProperty("nextCursor").GetString()}"));
        var ofFirst = await JsonAsync(await Admin.GetAsync($"/api/runs?project={key}&workItem={first}"));
        var cancelled = await JsonAsync(await Admin.GetAsync($"/api/runs?project={key}&status=cancelled"));

        static IEnumerable<long> Ids(System.Text.Json.JsonElement page) => page.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("id").GetInt64());
        Assert.Equal(Enumerable.Reverse(ids), Ids(page1).Concat(Ids(page2)));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, page2.GetProperty("nextCursor").ValueKind);
        Assert.Equal(ids.Take(3).Reverse(), Ids(ofFirst));
        Assert.Equal([ids[0]], Ids(cancelled));
        await ProblemAsync(await Admin.GetAsync("/api/runs?status=sleeping"), HttpStatusCode.BadRequest);
        await ProblemAsync(await Admin.GetAsync($"/api/runs?workItem={first}"), HttpStatusCode.BadRequest);
    }
}
