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
    public static TheoryData<string, string> Pages() => new()
    {
        { "/", "light" }, { "/", "dark" }, { "/runs", "light" }, { "/runs", "dark" }, { "/projects", "light" },
        { "/approvals", "light" }, { "/plans", "light" }, { "/agents", "dark" }, { "/insights", "light" }, { "/insights", "dark" },
        { "/projects/{project}", "light" }, { "/projects/{project}", "dark" }, { "/runs/{run}", "light" }, { "/runs/{run}", "dark" },
    };

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task AMainPage_HasNoSeriousAccessibilityViolation(string path, string theme)
    {
        var sample = await server.SampleAsync();
        path = path.Replace("{project}", sample.Project, StringComparison.Ordinal)
            .Replace("{run}", sample.RunId.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        await using var ui = await server.OpenAsync(colorScheme: theme);
        await ui.LogInAsync(await server.TokenAsync("maintainer"), path);
        await ui.Page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        var results = await ui.Page.RunAxe();

        var serious = results.Violations.Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Take(3).Select(n => n.Target?.ToString()))}");
        Assert.Empty(serious);
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
