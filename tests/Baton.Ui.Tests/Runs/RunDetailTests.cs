using System.Globalization;
using System.Net.Http.Json;
using Microsoft.Playwright;
using static Baton.Ui.Tests.Runs.RunPages;
using static Microsoft.Playwright.Assertions;

namespace Baton.Ui.Tests.Runs;

[Collection(UiTestGroup.Name)]
public sealed class RunDetailTests(UiServer server)
{
    private static readonly string Sleeper = Recipe(("wait", "echo started; sleep 30"));

    [Fact]
    public async Task TheTimeline_HasOneBarPerStep_WithWidthsInTheOrderOfTheirDurations()
    {
        var project = await server.ProjectAsync(Recipe(("short", "sleep 0.2"), ("long", "sleep 1.5"), ("middle", "sleep 0.7")));
        var id = await server.StartRunAsync(project);
        await server.WaitForFinalAsync(id);
        await using var ui = await server.OpenAsync();
        await ui.LogInAsync(await server.TokenAsync("viewer"), $"/runs/{id}");

        var steps = ui.Page.Locator("[data-testid=timeline-bar][data-kind=step]");
        await Expect(steps).ToHaveCountAsync(3);
        await Expect(ui.Page.Locator("[data-testid=timeline-bar][data-kind=queue]")).ToHaveCountAsync(1);
        var widths = new Dictionary<string, double>();
        foreach (var bar in await steps.AllAsync())
        {
            var name = (await bar.GetAttributeAsync("data-name"))!;
            Assert.Equal("succeeded", await bar.GetAttributeAsync("data-status"));
            await Expect(bar).ToContainTextAsync("succeeded");
            var drawn = (await bar.Locator(".bar").BoundingBoxAsync())!.Width;
            widths[name] = double.Parse((await bar.GetAttributeAsync("data-width"))!, CultureInfo.InvariantCulture);
            Assert.True(drawn > 0, $"{name} is drawn");
        }
        Assert.True(widths["long"] > widths["middle"] && widths["middle"] > widths["short"], string.Join(", ", widths));
        var drawnWidths = await steps.Locator(".bar").EvaluateAllAsync<double[]>("bars => bars.map(b => b.getBoundingClientRect().width)");
        Assert.True(drawnWidths[1] > drawnWidths[2] && drawnWidths[2] > drawnWidths[0], string.Join(", ", drawnWidths));
        Assert.Empty(ui.Errors);
    }

    [Fact]
    public async Task AMaintainer_CancelsARunningRun_FromThePage()
    {
        var project = await server.ProjectAsync(Sleeper);
        var id = await server.StartRunAsync(project);
        await using var ui = await server.OpenAsync();
        await ui.LogInAsync(await server.TokenAsync("maintainer"), $"/runs/{id}");

        await Expect(Status(ui.Page)).ToHaveTextAsync("running", new() { Timeout = RunTimeout });
        await Expect(Line(ui.Page, "started")).ToBeVisibleAsync(new() { Timeout = RunTimeout });
        // A running step's bar grows with the clock, not only when something is stored.
        var bar = ui.Page.Locator("[data-testid=timeline-bar][data-kind=step]");
        var before = await bar.GetAttributeAsync("data-seconds");
        await Expect(bar).Not.ToHaveAttributeAsync("data-seconds", before!);
        await ui.ScreenshotAsync("run-detail-running");

        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Cancel run" }).ClickAsync();
        await Expect(Status(ui.Page)).ToHaveTextAsync("cancelled", new() { Timeout = RunTimeout });
        Assert.Equal("cancelled", await ApiStatusAsync(server, id));
        await Expect(ui.Page.GetByRole(AriaRole.Button, new() { Name = "Rerun" })).ToBeVisibleAsync();
        Assert.Empty(ui.Errors);
    }

    [Fact]
    public async Task ARunWaitingForApproval_SaysWhy_ShowsTheWait_AndCancelsAtOnce()
    {
        var project = await server.ProjectAsync(Recipe(("build", "echo hi")));
        using var policy = await server.Api.PatchAsJsonAsync($"/api/projects/{project}", new { policy = new { runApprovalRequired = true } });
        Assert.True(policy.IsSuccessStatusCode, await policy.Content.ReadAsStringAsync());
        var id = await server.StartRunAsync(project);
        await using var ui = await server.OpenAsync();
        await ui.LogInAsync(await server.TokenAsync("maintainer"), $"/runs/{id}");

        await Expect(Status(ui.Page)).ToHaveTextAsync("pending approval");
        await Expect(ui.Page.GetByTestId("waiting-reason")).ToHaveTextAsync("waiting for approval (0 of 1)");
        var wait = ui.Page.Locator("[data-testid=timeline-bar][data-kind=approval]");
        await Expect(wait).ToHaveAttributeAsync("data-status", "pending_approval");
        await Expect(wait).ToContainTextAsync("so far");

        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Cancel run" }).ClickAsync();
        await Expect(Status(ui.Page)).ToHaveTextAsync("cancelled");
        await Expect(ui.Page.GetByTestId("waiting-reason")).ToHaveCountAsync(0);
        await Expect(wait).ToHaveAttributeAsync("data-status", "rejected");
        Assert.Equal("cancelled", await ApiStatusAsync(server, id));
        Assert.Empty(ui.Errors);
    }

    [Fact]
    public async Task AViewer_SeesNoCancelOrRerun()
    {
        var project = await server.ProjectAsync(Sleeper);
        var id = await server.StartRunAsync(project);
        try
        {
            await using var ui = await server.OpenAsync();
            await ui.LogInAsync(await server.TokenAsync("viewer"), $"/runs/{id}");
            await Expect(Status(ui.Page)).ToHaveTextAsync("running", new() { Timeout = RunTimeout });
            await Expect(ui.Page.GetByRole(AriaRole.Button, new() { Name = "Cancel run" })).ToHaveCountAsync(0);

            await server.Api.PostAsync($"/api/runs/{id}/cancel", null);
            await Expect(Status(ui.Page)).ToHaveTextAsync("cancelled", new() { Timeout = RunTimeout });
            await Expect(ui.Page.GetByRole(AriaRole.Button, new() { Name = "Rerun" })).ToHaveCountAsync(0);
            Assert.Empty(ui.Errors);
        }
        finally
        {
            await server.Api.PostAsync($"/api/runs/{id}/cancel", null);
        }
    }

    [Fact]
    public async Task Rerun_StartsANewRunOfTheWorkItem_AndOpensIt()
    {
        var project = await server.ProjectAsync(Recipe(("build", "echo built")));
        var id = await server.StartRunAsync(project);
        await server.WaitForFinalAsync(id);
        await using var ui = await server.OpenAsync();
        await ui.LogInAsync(await server.TokenAsync("maintainer"), $"/runs/{id}");

        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Rerun" }).ClickAsync();
        await ui.Page.WaitForURLAsync(url => new Uri(url).AbsolutePath != $"/runs/{id}");
        var rerun = long.Parse(new Uri(ui.Page.Url).AbsolutePath["/runs/".Length..], CultureInfo.InvariantCulture);
        Assert.True(rerun > id);
        await Expect(ui.Page.Locator("main h1")).ToHaveTextAsync($"Run #{rerun}");
        var run = await server.RunAsync(rerun);
        Assert.Equal(project, run.GetProperty("project").GetString());
        Assert.Equal("WI-1", run.GetProperty("workItem").GetString());
        await server.WaitForFinalAsync(rerun);
        await Expect(Line(ui.Page, "built")).ToBeVisibleAsync(new() { Timeout = RunTimeout });
        Assert.Empty(ui.Errors);
    }

    [Fact]
    public async Task TheDetailPage_FitsNarrowScreens_AndTheDarkTheme()
    {
        var project = await server.ProjectAsync(Recipe(
            ("build", "printf '\\033[32mok\\033[0m \\033[38;5;208morange\\033[0m \\033[1mbold\\033[0m\\n'; echo " + new string('x', 300)),
            ("test", "echo 'error: one test failed' >&2; sleep 0.5")));
        var id = await server.StartRunAsync(project);
        await server.WaitForFinalAsync(id);
        var viewer = await server.TokenAsync("viewer");
        foreach (var (name, width, scheme) in new[] { ("run-detail", 1280, "light"), ("run-detail-390", 390, "light"), ("run-detail-dark", 1280, "dark") })
        {
            await using var ui = await server.OpenAsync(width, 900, scheme);
            await ui.LogInAsync(viewer, $"/runs/{id}");
            await Expect(Line(ui.Page, "error: one test failed")).ToBeVisibleAsync();
            await Expect(ui.Page.Locator("[data-testid=timeline-bar][data-kind=step]")).ToHaveCountAsync(2);
            var overflow = await ui.Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
            Assert.True(overflow <= 0, $"{name}: the page is {overflow}px wider than the viewport");
            await ui.ScreenshotAsync(name);
            Assert.Empty(ui.Errors);
        }
    }

    [Fact]
    public async Task AnUnknownRun_SaysSo()
    {
        await using var ui = await server.OpenAsync();
        await ui.LogInAsync(await server.TokenAsync("viewer"), "/runs/999999");
        await Expect(ui.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("run 999999 does not exist");
        Assert.Empty(ui.Errors);
    }
}
