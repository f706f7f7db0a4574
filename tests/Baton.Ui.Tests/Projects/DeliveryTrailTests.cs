using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Baton.Ui.Tests.Projects;

[Collection(UiTestGroup.Name)]
public sealed class DeliveryTrailTests(UiServer server)
{
    [Fact]
    public async Task ARequirement_IsDelivered_OnceItsWorkItemsLatestRunSucceeded()
    {
        var key = await server.ProjectAsync(UiArrange.Recipe);
        var delivered = await server.ApprovedAsync(key, "Pay by card");
        var pending = await server.ApprovedAsync(key, "Pay by invoice");
        var item = await server.WorkItemAsync(key, "Card payments", requirements: [delivered]);
        await server.WorkItemAsync(key, "Invoice payments", requirements: [pending]);
        await using var ui = await server.OpenAsync();
        await ui.LogInAsync(await server.TokenAsync("viewer"), $"/projects/{key}?tab=trail");

        var row = ui.Page.Locator($"[data-trail='{delivered}']");
        await Expect(row).ToHaveAttributeAsync("data-delivered", "false");
        await Expect(row).ToContainTextAsync("not run yet");

        var run = await server.StartRunAsync(key, item);
        Assert.Equal("succeeded", (await server.WaitForFinalAsync(run)).GetProperty("status").GetString());

        // The page refreshes itself: no reload.
        await Expect(row).ToHaveAttributeAsync("data-delivered", "true", new() { Timeout = 20_000 });
        await Expect(row).ToContainTextAsync("Delivered");
        await Expect(row.GetByRole(AriaRole.Link, new() { Name = $"Run {run}: succeeded" })).ToHaveAttributeAsync("href", $"/runs/{run}");
        await Expect(ui.Page.Locator($"[data-trail='{pending}']")).ToHaveAttributeAsync("data-delivered", "false");
        await Expect(ui.Page.Locator("[data-delivered-summary]")).ToContainTextAsync("1 of 2");
        // WI-1 (from ProjectAsync) implements no requirement.
        await Expect(ui.Page.Locator("[data-unlinked] [data-trail-item]")).ToHaveCountAsync(1);
        Assert.Empty(ui.Errors);

        await using var dark = await server.OpenAsync(colorScheme: "dark");
        await dark.LogInAsync(await server.TokenAsync("viewer"), $"/projects/{key}?tab=trail");
        await Expect(dark.Page.Locator($"[data-trail='{delivered}']")).ToHaveAttributeAsync("data-delivered", "true");
        await dark.ScreenshotAsync("project-trail-dark");
    }
}
