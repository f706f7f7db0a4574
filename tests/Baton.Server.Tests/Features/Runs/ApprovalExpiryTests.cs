using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Baton.Core.Access;
using Baton.Server.Tests.Features.Plans;
using Baton.Server.Tests.Infrastructure;
using Baton.Tests.Support;

namespace Baton.Server.Tests.Features.Runs;

/// <summary>Approval expiry on a clock the test moves: a run nobody approved in time is rejected by the scheduler.</summary>
public sealed class ApprovalExpiryTests(FakeClockSqliteApplication app) : ApiTestBase<FakeClockSqliteApplication>(app)
{
    private static readonly object Policy = new { runApprovalRequired = true, requiredApprovals = 2, approvalExpiryHours = 24 };

    private async Task TickAsync() => (await Admin.PostAsync("/api/scheduler/tick", null)).EnsureSuccessStatusCode();

    private async Task<JsonElement> RunAsync(long id) => await JsonAsync(await Admin.GetAsync($"/api/runs/{id}"));

    [Fact]
    public async Task ARunNotApprovedInTime_IsRejected_ItsPlanSkipsWhatDependsOnIt_AndLateVotesAreRefused()
    {
        var key = await CreateProjectAsync(Policy);
        var first = await Admin.RunnableAsync(key, new { title = "build", labels = new[] { "nobody-" + key } });
        var second = await Admin.RunnableAsync(key, new { title = "deploy", dependsOn = new[] { first }, labels = new[] { "nobody-" + key } });
        var created = App.Clock.GetUtcNow();
        var manual = await Admin.StartRunAsync(key, first);
        var plan = await JsonAsync(await Admin.PostAsJsonAsync($"/api/projects/{key}/plans", new { workItems = new[] { second } }));
        var planId = plan.GetProperty("id").GetInt64();
        await TickAsync();
        var planned = (await JsonAsync(await Admin.GetAsync($"/api/plans/{planId}"))).GetProperty("items").EnumerateArray()
            .Single(i => i.GetProperty("workItem").GetString() == first).GetProperty("runId").GetInt64();
        var approver = App.Client(await App.TokenAsync(Role.Maintainer));
        Assert.Equal(HttpStatusCode.OK, (await approver.PostAsJsonAsync($"/api/runs/{manual}/approve", new { })).StatusCode);

        var waiting = await RunAsync(manual);
        Assert.Equal("pending_approval", waiting.GetProperty("status").GetString());
        Assert.Equal(created.AddHours(24), waiting.GetProperty("approval").GetProperty("expiresAt").GetDateTimeOffset());
        App.Clock.Advance(TimeSpan.FromHours(23));
        await TickAsync();
        Assert.Equal("pending_approval", (await RunAsync(manual)).GetProperty("status").GetString());

        App.Clock.Advance(TimeSpan.FromHours(2));

        // The pass that rejects them is this tick's or the scheduler loop's own (woken by the expiry's due time).
        await Eventually.TrueAsync(async () =>
        {
            await TickAsync();
            // A rejected approval ends the run cancelled (ADR 0003), with the reason.
            return (await RunAsync(planned)).GetProperty("status").GetString() == "cancelled";
        }, TimeSpan.FromSeconds(30), "the planned run to be rejected");
        var rejected = await RunAsync(manual);
        Assert.Equal(("cancelled", "rejected: not approved within 24 h (1 of 2)"),
            (rejected.GetProperty("status").GetString(), rejected.GetProperty("statusReason").GetString()));
        var items = (await JsonAsync(await Admin.GetAsync($"/api/plans/{planId}"))).GetProperty("items").EnumerateArray()
            .ToDictionary(i => i.GetProperty("workItem").GetString()!, i => i.GetProperty("status").GetString());
        Assert.Equal("skipped", items[second]);
        await ProblemAsync(await App.Client(await App.TokenAsync(Role.Maintainer)).PostAsJsonAsync($"/api/runs/{manual}/approve", new { }),
            HttpStatusCode.Conflict);
        var audit = await JsonAsync(await Admin.GetAsync($"/api/audit?subject=run:{manual}&action=run.approval_expired"));
        Assert.Equal("scheduler", Assert.Single(audit.GetProperty("items").EnumerateArray()).GetProperty("actor").GetString());
    }

    [Fact]
    public async Task TheExpiry_IsPartOfThePolicy_ZeroRemovesIt_AndOutOfRangeIsRefusedNamingTheField()
    {
        var key = await CreateProjectAsync(Policy);
        Assert.Equal(24, (await JsonAsync(await Admin.GetAsync($"/api/projects/{key}"))).GetProperty("policy").GetProperty("approvalExpiryHours").GetInt32());

        var cleared = await JsonAsync(await Admin.PatchAsJsonAsync($"/api/projects/{key}", new { policy = new { approvalExpiryHours = 0 } }));
        Assert.Equal(JsonValueKind.Null, cleared.GetProperty("policy").GetProperty("approvalExpiryHours").ValueKind);
        var item = await Admin.RunnableAsync(key, new { title = "x", labels = new[] { "nobody-" + key } });
        var run = await RunAsync(await Admin.StartRunAsync(key, item));
        Assert.Equal(JsonValueKind.Null, run.GetProperty("approval").GetProperty("expiresAt").ValueKind);

        var problem = await ProblemAsync(await Admin.PatchAsJsonAsync($"/api/projects/{key}", new { policy = new { approvalExpiryHours = 100_000 } }),
            HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("policy.approvalExpiryHours", out _), problem.ToString());
    }
}
