using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Baton.Ui.Tests.Dashboard;

[Collection(UiTestGroup.Name)]
public sealed class DashboardTests(UiServer server)
{
    private const string QuickRecipe = "steps:\n  - name: build\n    run: echo built\n";

    [Fact]
    public async Task TheDashboard_ShowsRecentRunsAgentsAndTheDurationHistogram_AndUpdatesItselfWhenARunEnds()
    {
        var project = await server.ProjectAsync(QuickRecipe, "dash");
        await server.WaitForFinalAsync(await server.StartRunAsync(project));
        await using var ui = await server.OpenAsync();
        await ui.LogInAsync(await server.TokenAsync("viewer"));

        await Expect(ui.Page.Locator("[data-agent-status=idle], [data-agent-status=busy]").First).ToBeVisibleAsync();
        await Expect(ui.Page.GetByTestId("histogram-run-duration").Locator("rect.bar").First).ToBeVisibleAsync();
        // Started after the page opened: the page shows it without a reload.
        var later = await server.StartRunAsync(project);
        await Expect(ui.Page.Locator($"a[href='/runs/{later}']")).ToBeVisibleAsync();
        await server.WaitForFinalAsync(later);
        await Expect(ui.Page.Locator($"tr:has(a[href='/runs/{later}']) [data-status=succeeded]")).ToBeVisibleAsync();
        await ui.ScreenshotAsync("dashboard");
        Assert.Empty(ui.Errors);
    }

    [Fact]
    public async Task Insights_DrawsAProjectsHistograms_OnceItsRunsHaveFinished()
    {
        var project = await server.ProjectAsync(QuickRecipe, "ins");
        await using var ui = await server.OpenAsync();
        await ui.LogInAsync(await server.TokenAsync("viewer"), $"/insights?project={project}");
        await Expect(ui.Page.GetByTestId("histogram-run-duration")).ToContainTextAsync("no finished runs yet");

        await server.WaitForFinalAsync(await server.StartRunAsync(project));
        await server.WaitForFinalAsync(await server.StartRunAsync(project));

        var runBars = ui.Page.GetByTestId("histogram-run-duration").Locator("rect.bar");
        await Expect(runBars.First).ToBeVisibleAsync(new() { Timeout = 30_000 });
        var counted = 0;
        foreach (var bar in await runBars.AllAsync())
        {
            counted += int.Parse((await bar.GetAttributeAsync("data-count"))!, System.Globalization.CultureInfo.InvariantCulture);
        }
        Assert.Equal(2, counted);
        await Expect(ui.Page.GetByTestId("histogram-step-duration").Locator("rect.bar").First).ToBeVisibleAsync();
        await Expect(ui.Page.GetByTestId("percentiles")).ToContainTextAsync("Run duration");
        await Expect(ui.Page.GetByTestId("per-project")).ToContainTextAsync(project);
        await ui.ScreenshotAsync("insights");
        Assert.Empty(ui.Errors);
    }

    [Fact]
    public async Task TheAgentsPage_ListsTheEmbeddedAgent()
    {
        await using var ui = await server.OpenAsync();
        await ui.LogInAsync(await server.TokenAsync("viewer"), "/agents");
        await Expect(ui.Page.Locator("tr[data-agent$='-up-1']")).ToBeVisibleAsync();
        await ui.ScreenshotAsync("agents");
    }

    [Fact]
    public async Task AtPhoneWidthAndInTheDarkTheme_TheDashboardFitsTheScreen()
    {
        await using var ui = await server.OpenAsync(width: 390, height: 844, colorScheme: "dark");
        await ui.LogInAsync(await server.TokenAsync("viewer"));
        await Expect(ui.Page.GetByRole(AriaRole.Navigation, new() { Name = "Main" })).ToBeVisibleAsync();
        var overflow = await ui.Page.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth + 1");
        Assert.False(overflow, "the page is wider than a 390px screen");
        var background = await ui.Page.EvaluateAsync<string>("getComputedStyle(document.body).backgroundColor");
        Assert.Equal("rgb(13, 17, 23)", background);
        await ui.ScreenshotAsync("dashboard-390-dark");
    }
}
