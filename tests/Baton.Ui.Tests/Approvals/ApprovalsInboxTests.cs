using System.Net.Http.Json;
using Baton.Tests.Support;
using Baton.Ui.Tests.Projects;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Baton.Ui.Tests.Approvals;

[Collection(UiTestGroup.Name)]
public sealed class ApprovalsInboxTests(UiServer server)
{
    [Fact]
    public async Task ARunWaitingForApproval_IsApprovedFromTheInbox_ByAnotherPersonThanItsRequester()
    {
        var key = await server.ProjectAsync(UiArrange.Recipe);
        await server.RequireRunApprovalAsync(key);
        var run = await server.StartRunAsync(key);
        Assert.Equal("pending_approval", (await server.RunAsync(run)).GetProperty("status").GetString());
        var (maintainer, secret) = await server.NamedTokenAsync("maintainer");
        await using var ui = await server.OpenAsync();
        await ui.LogInAsync(secret, "/approvals");

        var card = ui.Page.Locator($"[data-pending-run='{run}']");
        await Expect(card).ToContainTextAsync(key);
        await Expect(card).ToContainTextAsync("WI-1");
        await Expect(card).ToContainTextAsync("Requested by");
        await Expect(card.Locator("[data-approvals]")).ToHaveTextAsync("0 of 1 approval(s)");
        await ui.ScreenshotAsync("approvals");
        await card.GetByRole(AriaRole.Button, new() { Name = $"Approve run {run}" }).ClickAsync();

        await Expect(card).ToHaveCountAsync(0);
        var decided = await Eventually.MatchesAsync(() => server.RunAsync(run),
            r => r.GetProperty("status").GetString() != "pending_approval", TimeSpan.FromSeconds(20), $"run {run} to leave pending approval");
        var decision = decided.GetProperty("approval").GetProperty("decisions")[0];
        Assert.Equal((maintainer, "approve"), (decision.GetProperty("actor").GetString(), decision.GetProperty("decision").GetString()));
        Assert.Empty(ui.Errors);
    }

    [Fact]
    public async Task TheRequester_ApprovingTheirOwnRun_IsRefusedWithAnAlert_AndRejectingNeedsAReason()
    {
        var key = await server.ProjectAsync(UiArrange.Recipe);
        await server.RequireRunApprovalAsync(key);
        var (_, secret) = await server.NamedTokenAsync("maintainer");
        using var requester = server.ClientFor(secret);
        var run = (await UiServer.Json(await requester.PostAsJsonAsync($"/api/projects/{key}/work-items/WI-1/runs", new { }))).GetProperty("id").GetInt64();
        await using var ui = await server.OpenAsync();
        await ui.LogInAsync(secret, "/approvals");
        var card = ui.Page.Locator($"[data-pending-run='{run}']");

        await card.GetByRole(AriaRole.Button, new() { Name = $"Approve run {run}" }).ClickAsync();
        await Expect(card.GetByRole(AriaRole.Alert)).ToContainTextAsync("does not allow approving one's own run");
        Assert.Equal("pending_approval", (await server.RunAsync(run)).GetProperty("status").GetString());

        await card.GetByRole(AriaRole.Button, new() { Name = $"Reject run {run}" }).ClickAsync();
        await Expect(card).ToContainTextAsync("'reason' is required");
        Assert.Empty(ui.Errors);
    }

    [Fact]
    public async Task AProposedRequirement_IsApprovedFromTheInbox()
    {
        var key = await server.ProjectAsync(UiArrange.Recipe);
        var requirement = await server.ProposeAsync(key, "Export to CSV");
        var (maintainer, secret) = await server.NamedTokenAsync("maintainer");
        await using var ui = await server.OpenAsync();
        await ui.LogInAsync(secret, "/approvals");

        var card = ui.Page.Locator($"[data-project='{key}'][data-requirement='{requirement}']");
        await Expect(card).ToContainTextAsync("Export to CSV");
        await card.GetByRole(AriaRole.Button, new() { Name = $"Approve {requirement}" }).ClickAsync();

        await Expect(card).ToHaveCountAsync(0);
        var stored = await server.RequirementAsync(key, requirement);
        Assert.Equal(("approved", maintainer), (stored.GetProperty("status").GetString(), stored.GetProperty("decidedBy").GetString()));
        Assert.Empty(ui.Errors);
    }
}
