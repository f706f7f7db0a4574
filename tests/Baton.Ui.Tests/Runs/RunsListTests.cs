using Microsoft.Playwright;
using static Baton.Ui.Tests.Runs.RunPages;
using static Microsoft.Playwright.Assertions;

namespace Baton.Ui.Tests.Runs;

[Collection(UiTestGroup.Name)]
public sealed class RunsListTests(UiServer server)
{
    [Fact]
    public async Task TheList_ShowsRunsNewestFirst_FiltersThroughTheAddress_AndLinksToEachRun()
    {
        var project = await server.ProjectAsync(Recipe(("build", "echo hi")));
        var first = await server.StartRunAsync(project);
        await server.WaitForFinalAsync(first);
        var second = await server.StartRunAsync(project);
        await server.WaitForFinalAsync(second);
        await using var ui = await server.OpenAsync();
        await ui.LogInAsync(await server.TokenAsync("viewer"), "/runs");
        var page = ui.Page;

        await page.GetByLabel("Project").SelectOptionAsync(project);
        await page.GetByLabel("Status").SelectOptionAsync("succeeded");
        await page.GetByLabel("Created").SelectOptionAsync(new SelectOptionValue { Label = "Last hour" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await page.WaitForURLAsync($"**/runs?project={project}&status=succeeded&time=hour");
        var rows = page.Locator("[data-testid=runs] tbody tr");
        await Expect(rows).ToHaveCountAsync(2);
        Assert.Equal(second.ToString(System.Globalization.CultureInfo.InvariantCulture), await rows.First.GetAttributeAsync("data-run-id"));
        await Expect(rows.First).ToContainTextAsync("succeeded");
        await Expect(rows.First).ToContainTextAsync("WI-1");
        await ui.ScreenshotAsync("runs");

        // The same view, as a link someone was sent.
        await page.GotoAsync($"/runs?project={project}&workItem=WI-1&status=failed");
        await Expect(page.GetByTestId("no-runs")).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Status")).ToHaveValueAsync("failed");

        // A page older than the second run (the cursor the "Older" link carries) holds only the first.
        await page.GotoAsync($"/runs?project={project}&before={second}");
        await Expect(rows).ToHaveCountAsync(1);
        Assert.Equal(first.ToString(System.Globalization.CultureInfo.InvariantCulture), await rows.First.GetAttributeAsync("data-run-id"));
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Newest" })).ToHaveAttributeAsync("href", $"/runs?project={project}");

        await page.GetByRole(AriaRole.Link, new() { Name = $"#{first}" }).ClickAsync();
        await page.WaitForURLAsync($"**/runs/{first}");
        await Expect(Line(page, "hi")).ToBeVisibleAsync();
        Assert.Empty(ui.Errors);
    }

    [Fact]
    public async Task TheList_RefreshesByItself_WhenARunStarts()
    {
        var project = await server.ProjectAsync(Recipe(("build", "echo hi")));
        await using var ui = await server.OpenAsync();
        await ui.LogInAsync(await server.TokenAsync("viewer"), $"/runs?project={project}");
        await Expect(ui.Page.GetByTestId("no-runs")).ToBeVisibleAsync();

        var id = await server.StartRunAsync(project);
        await Expect(ui.Page.Locator($"[data-run-id='{id}']")).ToBeVisibleAsync(new() { Timeout = RunTimeout });
        Assert.Empty(ui.Errors);
    }

    [Fact]
    public async Task ABadFilter_IsExplained_NotThrown()
    {
        await using var ui = await server.OpenAsync();
        await ui.LogInAsync(await server.TokenAsync("viewer"), "/runs?status=sleeping");
        await Expect(ui.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("'status' must be one of");
        Assert.Empty(ui.Errors);
    }
}
