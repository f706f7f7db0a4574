using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Baton.Ui.Tests.Accessibility;

/// <summary>
/// axe-core (the engine behind Lighthouse's accessibility audit) on every main page, in both themes: no serious or
/// critical violation (labels, names, contrast, landmarks). And the page works from the keyboard alone.
/// </summary>
[Collection(UiTestGroup.Name)]
public sealed class AccessibilityTests(UiServer server)
{
    private static readonly string[] MainPages =
        ["/", "/runs", "/runs/{run}", "/projects", "/projects/{project}", "/approvals", "/plans", "/agents", "/insights"];

    [Theory]
    [InlineData("light")]
    [InlineData("dark")]
    public async Task EveryMainPage_HasNoSeriousAccessibilityViolation(string theme)
    {
        var sample = await server.SampleAsync();
        await using var ui = await server.OpenAsync(colorScheme: theme);
        await ui.LogInAsync(await server.TokenAsync("maintainer"));
        var serious = new List<string>();
        foreach (var page in MainPages)
        {
            var path = page.Replace("{project}", sample.Project, StringComparison.Ordinal)
                .Replace("{run}", sample.RunId.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
            await ui.Page.GotoAsync(path);
            await ui.Page.Locator("main h1").First.WaitForAsync();
            await ui.Page.WaitForLoadStateAsync(LoadState.NetworkIdle);

            var results = await ui.Page.RunAxe();

            serious.AddRange(results.Violations.Where(v => v.Impact is "serious" or "critical")
                .Select(v => $"{page}: {v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Take(3).Select(n => n.Target?.ToString()))}"));
        }
        Assert.Empty(serious);
        Assert.Empty(ui.Errors);
    }

    [Fact]
    public async Task TheKeyboardAlone_ReachesTheNavigationAndFollowsALink()
    {
        await using var ui = await server.OpenAsync();
        await ui.LogInAsync(await server.TokenAsync("viewer"));
        // The page's heading has the focus after navigation (FocusOnNavigate); Tab goes on from there, round the page.
        var reached = false;
        for (var presses = 0; presses < 40 && !reached; presses++)
        {
            await ui.Page.Keyboard.PressAsync("Tab");
            reached = await ui.Page.EvaluateAsync<bool>("document.activeElement?.textContent?.trim() === 'Projects'");
        }
        Assert.True(reached, "Tab never reached the Projects link");
        var outline = await ui.Page.EvaluateAsync<string>("getComputedStyle(document.activeElement).outlineStyle");
        Assert.NotEqual("none", outline);
        await ui.Page.Keyboard.PressAsync("Enter");
        await ui.Page.WaitForURLAsync("**/projects");
    }
}
