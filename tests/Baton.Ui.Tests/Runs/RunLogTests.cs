using Microsoft.Playwright;
using static Baton.Ui.Tests.Runs.RunPages;
using static Microsoft.Playwright.Assertions;

namespace Baton.Ui.Tests.Runs;

[Collection(UiTestGroup.Name)]
public sealed class RunLogTests(UiServer server)
{
    [Fact]
    public async Task LinesAppear_WhileTheRunIsStillRunning()
    {
        var project = await server.ProjectAsync(Recipe(("tick", "for i in $(seq 1 50); do echo \"tick $i\"; sleep 0.2; done")));
        await using var ui = await server.OpenAsync();
        var id = await server.StartRunAsync(project);
        await ui.LogInAsync(await server.TokenAsync("viewer"), $"/runs/{id}");

        await Expect(Line(ui.Page, "tick 3")).ToBeVisibleAsync(new() { Timeout = RunTimeout });
        Assert.Equal("running", await ApiStatusAsync(server, id));
        Assert.Equal(0, await Line(ui.Page, "tick 50").CountAsync());

        // Ten seconds of output: a slow machine still shows the first lines while the run goes on.
        await Expect(Line(ui.Page, "tick 50")).ToBeVisibleAsync(new() { Timeout = RunTimeout });
        await Expect(Status(ui.Page)).ToHaveTextAsync("succeeded", new() { Timeout = RunTimeout });
        await Expect(Log(ui.Page).Locator(".line.stdout")).ToHaveCountAsync(50);
        Assert.Empty(ui.Errors);
    }

    [Fact]
    public async Task ThePane_FollowsTheEnd_UntilThePersonScrollsUp()
    {
        var project = await server.ProjectAsync(Recipe(("lines", "for i in $(seq 1 150); do echo \"l $i\"; sleep 0.04; done")));
        await using var ui = await server.OpenAsync();
        var id = await server.StartRunAsync(project);
        await ui.LogInAsync(await server.TokenAsync("viewer"), $"/runs/{id}");
        var log = Log(ui.Page);

        await Expect(Line(ui.Page, "l 60")).ToBeVisibleAsync(new() { Timeout = RunTimeout });
        await Expect(log).ToHaveAttributeAsync("data-following", "true");
        Assert.True(await log.EvaluateAsync<bool>(AtEnd));
        // The person scrolls up and a change reaches the pane before their scroll event does (that event comes a frame
        // later): the change is made here, in the same task, so the race goes the same way every time. A node added and
        // removed leaves Blazor's part of the page as it was.
        await log.EvaluateAsync("box => { box.scrollTop = 0; const node = box.appendChild(document.createElement('span')); node.remove(); }");
        await Expect(log).ToHaveAttributeAsync("data-following", "false");

        await Expect(Line(ui.Page, "l 150")).ToHaveCountAsync(1, new() { Timeout = RunTimeout });
        Assert.Equal(0, await log.EvaluateAsync<double>("box => box.scrollTop"));
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Follow the end" }).ClickAsync();
        await Expect(log).ToHaveAttributeAsync("data-following", "true");
        Assert.True(await log.EvaluateAsync<bool>(AtEnd));
        Assert.Empty(ui.Errors);
    }

    private const string AtEnd = "box => box.scrollTop > 0 && box.scrollHeight - box.scrollTop - box.clientHeight < 24";

    [Fact]
    public async Task ALateLoadOfAFinishedRun_ShowsEveryLine()
    {
        var project = await server.ProjectAsync(Recipe(("many", "for i in $(seq 1 300); do echo \"line $i\"; done")));
        var id = await server.StartRunAsync(project);
        await server.WaitForFinalAsync(id);
        await using var ui = await server.OpenAsync();
        await ui.LogInAsync(await server.TokenAsync("viewer"), $"/runs/{id}");

        await Expect(Line(ui.Page, "line 1")).ToHaveCountAsync(1);
        await Expect(Line(ui.Page, "line 300")).ToBeVisibleAsync();
        await Expect(Log(ui.Page).Locator(".line.stdout")).ToHaveCountAsync(300);
        await Expect(ui.Page.GetByTestId("log-state")).ToContainTextAsync("run ended");
        // The raw download is the API's text log, with the page's own session.
        var download = ui.Page.GetByRole(AriaRole.Link, new() { Name = "Download raw" });
        await Expect(download).ToHaveAttributeAsync("download", $"run-{id}.log");
        var raw = await ui.Context.APIRequest.GetAsync((await download.GetAttributeAsync("href"))!);
        Assert.Equal(200, raw.Status);
        Assert.Equal(300, (await raw.TextAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => l.StartsWith("line ", StringComparison.Ordinal)));
        // Following the end: the box is scrolled to its last line.
        await Expect(Log(ui.Page)).ToHaveAttributeAsync("data-following", "true");
        Assert.True(await Log(ui.Page).EvaluateAsync<bool>(AtEnd));
        Assert.Empty(ui.Errors);
    }

    [Fact]
    public async Task ALongLog_LoadsWhole_InChunks()
    {
        var project = await server.ProjectAsync(Recipe(("long", "seq 1 10000 | sed 's/^/row /'")));
        var id = await server.StartRunAsync(project);
        await server.WaitForFinalAsync(id);
        await using var ui = await server.OpenAsync();
        await ui.LogInAsync(await server.TokenAsync("viewer"), $"/runs/{id}");

        await Expect(Line(ui.Page, "row 10000")).ToBeVisibleAsync(new() { Timeout = RunTimeout });
        await Expect(Log(ui.Page).Locator(".line.stdout")).ToHaveCountAsync(10_000);
        Assert.Equal("row 1", await Log(ui.Page).Locator(".line .t").First.TextContentAsync());
        Assert.Empty(ui.Errors);
    }

    [Fact]
    public async Task AnsiColours_StepFilter_Search_AndFirstError_Work()
    {
        var project = await server.ProjectAsync(Recipe(
            ("colours", "printf '\\033[1;31mred alert\\033[0m plain\\n'; echo '<b>needle one</b> & co'"),
            ("other", "echo 'needle two'; echo 'needle three' >&2; exit 3")));
        var id = await server.StartRunAsync(project);
        Assert.Equal("failed", (await server.WaitForFinalAsync(id)).GetProperty("status").GetString());
        await using var ui = await server.OpenAsync();
        await ui.LogInAsync(await server.TokenAsync("viewer"), $"/runs/{id}");
        var page = ui.Page;

        var stamp = Log(page).Locator(".line .ts").First;
        await Expect(stamp).ToBeHiddenAsync();
        await page.GetByLabel("Timestamps").CheckAsync();
        await Expect(stamp).ToBeVisibleAsync();
        await Expect(stamp).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d\d:\d\d:\d\d\.\d{3}$"));

        var red = Log(page).Locator("span.ansi-bold.ansi-fg-1");
        await Expect(red).ToHaveTextAsync("red alert");
        Assert.Equal("rgb(255, 123, 114)", await red.EvaluateAsync<string>("e => getComputedStyle(e).color"));
        // Markup in a line is text, not elements.
        await Expect(Line(page, "<b>needle one</b> & co")).ToHaveCountAsync(1);
        Assert.Equal(0, await Log(page).Locator(".t b").CountAsync());

        await page.GetByLabel("Step").SelectOptionAsync(new SelectOptionValue { Label = "2. other" });
        await Expect(Line(page, "needle two")).ToBeVisibleAsync();
        await Expect(Line(page, "red alert plain")).ToHaveCountAsync(0);
        await page.GetByLabel("Step").SelectOptionAsync(new SelectOptionValue { Label = "All steps" });
        await Expect(Line(page, "red alert plain")).ToHaveCountAsync(1);

        await page.GetByLabel("Search the log").FillAsync("NEEDLE");
        await page.GetByRole(AriaRole.Button, new() { Name = "Find" }).ClickAsync();
        await Expect(page.GetByTestId("search-count")).ToHaveTextAsync("1 of 3");
        await Expect(Log(page).Locator("mark.hit")).ToHaveCountAsync(3);
        await page.GetByRole(AriaRole.Button, new() { Name = "Next match" }).ClickAsync();
        await Expect(page.GetByTestId("search-count")).ToHaveTextAsync("2 of 3");
        await Expect(Log(page).Locator(".line:has(mark.hit.current) .t")).ToHaveTextAsync("needle two");
        await page.GetByRole(AriaRole.Button, new() { Name = "Previous match" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Previous match" }).ClickAsync();
        await Expect(page.GetByTestId("search-count")).ToHaveTextAsync("3 of 3");

        await page.GetByRole(AriaRole.Button, new() { Name = "Jump to first error" }).ClickAsync();
        await Expect(Log(page).Locator(".line.target .t")).ToHaveTextAsync("needle three");
        Assert.True(await Log(page).EvaluateAsync<bool>(
            "box => { const line = box.querySelector('.line.target').getBoundingClientRect(), view = box.getBoundingClientRect(); "
            + "return line.top >= view.top && line.bottom <= view.bottom; }"), "the first error is scrolled into the log's view");
        Assert.Empty(ui.Errors);
    }
}
