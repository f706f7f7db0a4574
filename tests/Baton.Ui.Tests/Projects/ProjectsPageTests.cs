using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Baton.Ui.Tests.Projects;

[Collection(UiTestGroup.Name)]
public sealed class ProjectsPageTests(UiServer server)
{
    [Fact]
    public async Task TheList_ShowsEachProjectWithItsCounts_AndLinksToItsPage()
    {
        var key = await server.ProjectAsync(UiArrange.Recipe);
        await server.ProposeAsync(key, "Checkout works offline");
        await using var ui = await server.OpenAsync();
        await ui.LogInAsync(await server.TokenAsync("viewer"), "/projects");

        var row = ui.Page.Locator($"[data-project='{key}']");
        await Expect(row).ToContainTextAsync($"Project {key}");
        await Expect(row.Locator("td.num")).ToHaveTextAsync(["1", "1", "1"]);
        // A viewer sees no create form.
        await Expect(ui.Page.GetByRole(AriaRole.Button, new() { Name = "Create project" })).ToHaveCountAsync(0);
        await ui.ScreenshotAsync("projects");

        await row.GetByRole(AriaRole.Link, new() { Name = $"Project {key}" }).ClickAsync();
        await Expect(ui.Page.Locator("main h1")).ToContainTextAsync($"Project {key}");
        Assert.Empty(ui.Errors);
    }

    [Fact]
    public async Task AWriter_CreatesAProject_AndABadKey_IsShownByItsField()
    {
        await using var ui = await server.OpenAsync();
        await ui.LogInAsync(await server.TokenAsync("maintainer"), "/projects");

        await ui.Page.GetByLabel("Key").FillAsync("Not A Slug!");
        await ui.Page.GetByLabel("Name").FillAsync("Bad key");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Create project" }).ClickAsync();
        await Expect(ui.Page.Locator("#project-key-error")).ToContainTextAsync("'key' must be");
        await Expect(ui.Page.GetByLabel("Key")).ToHaveAttributeAsync("aria-invalid", "true");

        var key = $"made-{Guid.NewGuid():N}"[..16];
        await ui.Page.GetByLabel("Key").FillAsync(key);
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Create project" }).ClickAsync();
        await ui.Page.WaitForURLAsync($"**/projects/{key}");
        await Expect(ui.Page.Locator("main h1")).ToContainTextAsync("Bad key");
        Assert.Equal("Bad key", (await UiServer.Json(await server.Api.GetAsync($"/api/projects/{key}"))).GetProperty("name").GetString());
        Assert.Empty(ui.Errors);
    }

    [Fact]
    public async Task TheProjectsSections_AreTabs_TheArrowKeysMoveBetween()
    {
        var key = await server.ProjectAsync(UiArrange.Recipe);
        await using var ui = await server.OpenAsync();
        await ui.LogInAsync(await server.TokenAsync("viewer"), $"/projects/{key}");

        var vision = ui.Page.GetByRole(AriaRole.Tab, new() { Name = "Vision" });
        await Expect(vision).ToHaveAttributeAsync("aria-selected", "true");
        await vision.FocusAsync();
        await ui.Page.Keyboard.PressAsync("ArrowRight");

        var requirements = ui.Page.GetByRole(AriaRole.Tab, new() { Name = "Requirements" });
        await Expect(requirements).ToHaveAttributeAsync("aria-selected", "true");
        await Expect(requirements).ToBeFocusedAsync();
        await Expect(ui.Page.GetByRole(AriaRole.Tabpanel).GetByRole(AriaRole.Heading, new() { Name = "Requirements" })).ToBeVisibleAsync();
        await ui.Page.Keyboard.PressAsync("End");
        await Expect(ui.Page.GetByRole(AriaRole.Tab, new() { Name = "Delivery trail" })).ToBeFocusedAsync();
        await Expect(ui.Page.GetByRole(AriaRole.Tabpanel)).ToContainTextAsync("approved requirement(s) delivered");
        Assert.Empty(ui.Errors);
    }
}
