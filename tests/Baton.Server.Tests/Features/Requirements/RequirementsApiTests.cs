using System.Net;
using System.Net.Http.Json;
using Baton.Core.Requirements;
using Baton.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Baton.Server.Tests.Features.Requirements;

public sealed class SqliteRequirementsApiTests(SqliteApplication app) : RequirementsApiTests<SqliteApplication>(app);

public sealed class PostgresRequirementsApiTests(PostgresApplication app) : RequirementsApiTests<PostgresApplication>(app);

public abstract class RequirementsApiTests<TApp>(TApp app) : ApiTestBase<TApp>(app) where TApp : BatonApplication
{
    private async Task<string> ProposeAsync(string key, string title = "Checkout")
    {
        var response = await Admin.PostAsJsonAsync($"/api/projects/{key}/requirements",
            new { title, description = "d", acceptanceCriteria = new[] { "pays by card", "sends a receipt" } });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await JsonAsync(response)).GetProperty("key").GetString()!;
    }

    private Task<Requirement> StoredAsync(string key, int number) => App.DbAsync(db => db.Requirements
        .Join(db.Projects.Where(p => p.Key == key), r => r.ProjectId, p => p.Id, (r, _) => r)
        .SingleAsync(r => r.Number == number));

    [Fact]
    public async Task Propose_NumbersPerProject_AndTiesToTheCurrentVision()
    {
        var key = await CreateProjectAsync();
        var other = await CreateProjectAsync();
        Assert.Equal("REQ-1", await ProposeAsync(key));
        await Admin.PutAsJsonAsync($"/api/projects/{key}/vision", new { text = "v1" });
        await Admin.PutAsJsonAsync($"/api/projects/{key}/vision", new { text = "v2" });

        var response = await Admin.PostAsJsonAsync($"/api/projects/{key}/requirements", new { title = "Refunds" });

        Assert.Equal($"/api/projects/{key}/requirements/REQ-2", response.Headers.Location?.ToString());
        var body = await JsonAsync(response);
        Assert.Equal(("REQ-2", "proposed", 2), (body.GetProperty("key").GetString(), body.GetProperty("status").GetString(), body.GetProperty("visionVersion").GetInt32()));
        Assert.Equal("REQ-1", await ProposeAsync(other));
        var first = await StoredAsync(key, 1);
        Assert.Null(first.VisionVersion);
        Assert.Equal(["pays by card", "sends a receipt"], first.AcceptanceCriteria);
        Assert.Equal("bootstrap-admin", first.ProposedBy);
    }

    [Fact]
    public async Task Approve_RecordsWhoWhenAndWhy_AndAudits()
    {
        var key = await CreateProjectAsync();
        var req = await ProposeAsync(key);

        var response = await Admin.PostAsJsonAsync($"/api/projects/{key}/requirements/{req}/approve", new { comment = "agreed in review" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("approved", (await JsonAsync(response)).GetProperty("status").GetString());
        var stored = await StoredAsync(key, 1);
        Assert.Equal((RequirementStatus.Approved, "bootstrap-admin", "agreed in review"), (stored.Status, stored.DecidedBy, stored.DecisionReason));
        Assert.NotNull(stored.DecidedAt);
        var audit = await App.DbAsync(db => db.AuditEvents.SingleAsync(a => a.Subject == $"project:{key}/REQ-1" && a.Action == "requirement.approved"));
        Assert.Equal("bootstrap-admin", audit.Actor);
    }

    [Fact]
    public async Task Approve_WorksWithoutABody()
    {
        var key = await CreateProjectAsync();
        var req = await ProposeAsync(key);

        var response = await Admin.PostAsync($"/api/projects/{key}/requirements/{req}/approve", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(RequirementStatus.Approved, (await StoredAsync(key, 1)).Status);
    }

    [Fact]
    public async Task Reject_NeedsAReason_AndLeavesTheRequirementProposedWithout()
    {
        var key = await CreateProjectAsync();
        var req = await ProposeAsync(key);

        var problem = await ProblemAsync(await Admin.PostAsJsonAsync($"/api/projects/{key}/requirements/{req}/reject", new { reason = " " }), HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("reason", out _));
        Assert.Equal(RequirementStatus.Proposed, (await StoredAsync(key, 1)).Status);

        var rejected = await Admin.PostAsJsonAsync($"/api/projects/{key}/requirements/{req}/reject", new { reason = "out of scope" });
        Assert.Equal("rejected", (await JsonAsync(rejected)).GetProperty("status").GetString());
        Assert.Equal("out of scope", (await StoredAsync(key, 1)).DecisionReason);
    }

    [Fact]
    public async Task Decide_AnswersConflict_WhenAlreadyDecided_AndKeepsTheFirstDecision()
    {
        var key = await CreateProjectAsync();
        var req = await ProposeAsync(key);
        await Admin.PostAsJsonAsync($"/api/projects/{key}/requirements/{req}/approve", new { comment = "first" });

        await ProblemAsync(await Admin.PostAsJsonAsync($"/api/projects/{key}/requirements/{req}/reject", new { reason = "second" }), HttpStatusCode.Conflict);
        await ProblemAsync(await Admin.PostAsJsonAsync($"/api/projects/{key}/requirements/{req}/approve", new { comment = "again" }), HttpStatusCode.Conflict);

        var stored = await StoredAsync(key, 1);
        Assert.Equal((RequirementStatus.Approved, "first"), (stored.Status, stored.DecisionReason));
    }

    [Fact]
    public async Task SimultaneousDecisions_ExactlyOneWins()
    {
        var key = await CreateProjectAsync();
        var req = await ProposeAsync(key);

        var responses = await Task.WhenAll(
            App.Client().PostAsJsonAsync($"/api/projects/{key}/requirements/{req}/approve", new { comment = "yes" }),
            App.Client().PostAsJsonAsync($"/api/projects/{key}/requirements/{req}/reject", new { reason = "no" }),
            App.Client().PostAsJsonAsync($"/api/projects/{key}/requirements/{req}/approve", new { comment = "yes too" }));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(2, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        Assert.Equal(1, await App.DbAsync(db => db.AuditEvents.CountAsync(a => a.Subject == $"project:{key}/REQ-1" && a.Action != "requirement.proposed")));
    }

    [Fact]
    public async Task ProposalsAtOnce_GetDistinctDenseNumbers()
    {
        var key = await CreateProjectAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            App.Client().PostAsJsonAsync($"/api/projects/{key}/requirements", new { title = $"r{i}" })));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var numbers = await App.DbAsync(db => db.Requirements.Join(db.Projects.Where(p => p.Key == key), r => r.ProjectId, p => p.Id, (r, _) => r.Number)
            .OrderBy(n => n).ToListAsync());
        Assert.Equal(Enumerable.Range(1, 20), numbers);
    }

    [Fact]
    public async Task List_FiltersByStatus()
    {
        var key = await CreateProjectAsync();
        await ProposeAsync(key, "a");
        await ProposeAsync(key, "b");
        await ProposeAsync(key, "c");
        await Admin.PostAsJsonAsync($"/api/projects/{key}/requirements/REQ-2/approve", new { });

        var approved = await JsonAsync(await Admin.GetAsync($"/api/projects/{key}/requirements?status=approved"));
        var proposed = await JsonAsync(await Admin.GetAsync($"/api/projects/{key}/requirements?status=proposed"));
        var all = await JsonAsync(await Admin.GetAsync($"/api/projects/{key}/requirements"));

        Assert.Equal(["REQ-2"], approved.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("key").GetString()));
        Assert.Equal(["REQ-1", "REQ-3"], proposed.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("key").GetString()));
        Assert.Equal(3, all.GetProperty("items").GetArrayLength());
        var problem = await ProblemAsync(await Admin.GetAsync($"/api/projects/{key}/requirements?status=done"), HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("status", out _));
    }

    [Theory]
    [InlineData("REQ-9")]
    [InlineData("banana")]
    public async Task Get_AnswersNotFound_ForUnknownKeys(string reqKey)
    {
        var key = await CreateProjectAsync();

        var problem = await ProblemAsync(await Admin.GetAsync($"/api/projects/{key}/requirements/{reqKey}"), HttpStatusCode.NotFound);
        Assert.Contains(reqKey, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Propose_AnswersBadRequest_NamingEachInvalidField()
    {
        var key = await CreateProjectAsync();

        var response = await Admin.PostAsJsonAsync($"/api/projects/{key}/requirements",
            new { title = new string('t', 201), acceptanceCriteria = new[] { "ok", "" } });

        var errors = (await ProblemAsync(response, HttpStatusCode.BadRequest)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("title", out _));
        Assert.True(errors.TryGetProperty("acceptanceCriteria[1]", out _));
        Assert.Equal(0, await App.DbAsync(db => db.Requirements.Join(db.Projects.Where(p => p.Key == key), r => r.ProjectId, p => p.Id, (r, _) => r).CountAsync()));
    }
}
