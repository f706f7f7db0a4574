using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Baton.Ui.Tests.Projects;

[Collection(UiTestGroup.Name)]
public sealed class RequirementsTests(UiServer server)
{
    [Fact]
    public async Task ApprovingARequirement_InThePage_ShowsItApproved_AndStoresWhoApprovedIt()
    {
        var key = await server.ProjectAsync(UiArrange.Recipe);
        var requirement = await server.ProposeAsync(key, "Receipts by email");
        var (maintainer, secret) = await server.NamedTokenAsync("maintainer");
        await using var ui = await server.OpenAsync();
        await ui.LogInAsync(secret, $"/projects/{key}?tab=requirements");

        var card = ui.Page.Locator($"[data-requirement='{requirement}']");
        await Expect(card).ToHaveAttributeAsync("data-status", "proposed");
        await card.GetByLabel("Comment (optional)").FillAsync("fits the vision");
        await card.GetByRole(AriaRole.Button, new() { Name = $"Approve {requirement}" }).ClickAsync();

        await Expect(card).ToHaveAttributeAsync("data-status", "approved");
        await Expect(card.Locator("[data-decision]")).ToContainTextAsync($"approved by {maintainer}");
        await Expect(card.GetByRole(AriaRole.Button, new() { Name = $"Approve {requirement}" })).ToHaveCountAsync(0);
        var stored = await server.RequirementAsync(key, requirement);
        Assert.Equal(("approved", maintainer, "fits the vision"), (stored.GetProperty("status").GetString(),
            stored.GetProperty("decidedBy").GetString(), stored.GetProperty("decisionReason").GetString()));
        Assert.Empty(ui.Errors);
    }

    [Fact]
    public async Task RejectingWithoutAReason_ShowsTheFieldError_AndWithOne_RejectsIt()
    {
        var key = await server.ProjectAsync(UiArrange.Recipe);
        var requirement = await server.ProposeAsync(key, "Dark patterns in checkout");
        await using var ui = await server.OpenAsync();
        await ui.LogInAsync(await server.TokenAsync("maintainer"), $"/projects/{key}?tab=requirements");
        var card = ui.Page.Locator($"[data-requirement='{requirement}']");
        var reject = card.GetByRole(AriaRole.Button, new() { Name = $"Reject {requirement}" });

        await reject.ClickAsync();
        await Expect(card.Locator("[data-error='reason']")).ToContainTextAsync("'reason' is required");
        await Expect(card.GetByLabel("Reason for rejecting")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(card).ToHaveAttributeAsync("data-status", "proposed");

        await card.GetByLabel("Reason for rejecting").FillAsync("against the vision");
        await reject.ClickAsync();
        await Expect(card).ToHaveAttributeAsync("data-status", "rejected");
        await Expect(card.Locator("[data-decision]")).ToContainTextAsync("against the vision");
        var stored = await server.RequirementAsync(key, requirement);
        Assert.Equal(("rejected", "against the vision"), (stored.GetProperty("status").GetString(), stored.GetProperty("decisionReason").GetString()));
        Assert.Empty(ui.Errors);
    }

    [Fact]
    public async Task ProposingFromTheForm_AddsAProposedRequirement_WithItsCriteria()
    {
        var key = await server.ProjectAsync(UiArrange.Recipe);
        await using var ui = await server.OpenAsync();
        await ui.LogInAsync(await server.TokenAsync("maintainer"), $"/projects/{key}?tab=requirements");

        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Propose", Exact = true }).ClickAsync();
        await Expect(ui.Page.Locator("#propose-title-error")).ToContainTextAsync("'title' is required");

        await ui.Page.GetByLabel("Title").FillAsync("Search by order number");
        await ui.Page.GetByLabel("Description").FillAsync("Support staff find orders fast.");
        await ui.Page.GetByLabel("Acceptance criteria (one per line)").FillAsync("finds an order by its number\n\nanswers within a second\n");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Propose", Exact = true }).ClickAsync();

        var card = ui.Page.Locator("[data-requirement='REQ-1']");
        await Expect(card).ToHaveAttributeAsync("data-status", "proposed");
        await Expect(card.Locator(".criteria li")).ToHaveTextAsync(["finds an order by its number", "answers within a second"]);
        await Expect(ui.Page.GetByLabel("Title")).ToHaveValueAsync("");
        var stored = await server.RequirementAsync(key, "REQ-1");
        Assert.Equal("Search by order number", stored.GetProperty("title").GetString());
        Assert.Equal(2, stored.GetProperty("acceptanceCriteria").GetArrayLength());

        // The filter shows only what it names.
        await ui.Page.GetByLabel("Show").SelectOptionAsync("approved");
        await Expect(ui.Page.Locator("[data-requirement]")).ToHaveCountAsync(0);
        await ui.Page.GetByLabel("Show").SelectOptionAsync("proposed");
        await Expect(ui.Page.Locator("[data-requirement]")).ToHaveCountAsync(1);
        Assert.Empty(ui.Errors);
    }
}
