using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Baton.Ui.Tests.Projects;

[Collection(UiTestGroup.Name)]
public sealed class WorkItemsTests(UiServer server)
{
    [Fact]
    public async Task TheGraph_DrawsOneNodePerWorkItem_AndOneEdgePerDependency()
    {
        // WI-1 (from ProjectAsync) -> WI-2, WI-3 -> WI-4: a diamond.
        var key = await server.ProjectAsync(UiArrange.Recipe);
        await server.WorkItemAsync(key, "Payments API", dependsOn: ["WI-1"]);
        await server.WorkItemAsync(key, "Checkout page", dependsOn: ["WI-1"]);
        await server.WorkItemAsync(key, "Release", dependsOn: ["WI-2", "WI-3"]);
        await using var ui = await server.OpenAsync();
        await ui.LogInAsync(await server.TokenAsync("viewer"), $"/projects/{key}?tab=work-items");

        var graph = ui.Page.GetByRole(AriaRole.Region, new() { Name = "Work item dependencies" });
        await Expect(graph.Locator("[data-dag-node]")).ToHaveCountAsync(4);
        await Expect(graph.Locator("[data-dag-edge]")).ToHaveCountAsync(4);
        foreach (var edge in new[] { "WI-1->WI-2", "WI-1->WI-3", "WI-2->WI-4", "WI-3->WI-4" })
        {
            await Expect(graph.Locator($"[data-dag-edge='{edge}']")).ToHaveCountAsync(1);
        }
        await Expect(graph.Locator("[data-dag-node='WI-4']")).ToContainTextAsync("no runs yet");
        await Expect(ui.Page.Locator("[data-work-item='WI-4']")).ToContainTextAsync("WI-2, WI-3");
        await ui.ScreenshotAsync("project");
        Assert.Empty(ui.Errors);
    }

    [Fact]
    public async Task AtPhoneWidth_ThePageDoesNotScrollSideways_TheGraphScrollsInItsBox()
    {
        var key = await server.ProjectAsync(UiArrange.Recipe);
        var previous = "WI-1";
        for (var i = 0; i < 4; i++)
        {
            previous = await server.WorkItemAsync(key, $"Step {i}", dependsOn: [previous]);
        }
        await using var ui = await server.OpenAsync(width: 390, height: 844);
        await ui.LogInAsync(await server.TokenAsync("viewer"), $"/projects/{key}?tab=work-items");

        await Expect(ui.Page.Locator("[data-dag-node]")).ToHaveCountAsync(5);
        var widths = await ui.Page.EvaluateAsync<int[]>(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth, document.querySelector('.dag-scroll').scrollWidth, document.querySelector('.dag-scroll').clientWidth]");
        Assert.True(widths[0] <= widths[1], $"the page scrolls sideways: {string.Join(", ", widths)}");
        Assert.True(widths[2] > widths[3], $"the graph's box should scroll: {string.Join(", ", widths)}");
        await ui.ScreenshotAsync("project-390");
        Assert.Empty(ui.Errors);
    }
}
