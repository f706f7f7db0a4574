using System.Net.Http.Json;
using Baton.Ui.Tests.Projects;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Baton.Ui.Tests.Plans;

[Collection(UiTestGroup.Name)]
public sealed class PlanPageTests(UiServer server)
{
    [Fact]
    public async Task APlan_ShowsItsDag_AndWhyEachWaitingItemWaits()
    {
        // WI-1's run waits for an approval nobody gives, so WI-2 waits for WI-1 for as long as the test looks.
        var key = await server.ProjectAsync(UiArrange.Recipe);
        await server.RequireRunApprovalAsync(key);
        await server.WorkItemAsync(key, "Deploy", dependsOn: ["WI-1"]);
        var plan = (await UiServer.Json(await server.Api.PostAsJsonAsync($"/api/projects/{key}/plans", new { }))).GetProperty("id").GetInt64();
        await using var ui = await server.OpenAsync();
        await ui.LogInAsync(await server.TokenAsync("viewer"), "/plans");

        var row = ui.Page.Locator($"[data-plan='{plan}']");
        await Expect(row).ToContainTextAsync("0 of 2 done");
        await row.GetByRole(AriaRole.Link, new() { Name = $"Plan #{plan}" }).ClickAsync();

        var graph = ui.Page.GetByRole(AriaRole.Region, new() { Name = "Plan items and their dependencies" });
        await Expect(graph.Locator("[data-dag-node]")).ToHaveCountAsync(2);
        await Expect(graph.Locator("[data-dag-edge='WI-1->WI-2']")).ToHaveCountAsync(1);
        await Expect(graph.Locator("[data-dag-node='WI-2']")).ToHaveAttributeAsync("data-state", "waiting");
        await Expect(graph.Locator("[data-dag-node='WI-2']")).ToContainTextAsync("waiting");
        await Expect(ui.Page.Locator("[data-plan-item='WI-2'] [data-why]")).ToContainTextAsync("waiting for dependency WI-1");
        // Live: the scheduler starts WI-1, whose run then waits for its approval.
        await Expect(ui.Page.Locator("[data-plan-item='WI-1'] [data-why]")).ToContainTextAsync("waiting for approval (0 of 1)",
            new() { Timeout = 30_000 });
        await ui.ScreenshotAsync("plan");
        Assert.Empty(ui.Errors);
    }
}
