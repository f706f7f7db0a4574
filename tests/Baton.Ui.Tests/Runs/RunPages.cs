using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Baton.Ui.Tests.Runs;

/// <summary>What the run pages' tests look for, named once.</summary>
internal static class RunPages
{
    /// <summary>How long an assertion waits for something a run does (a queue wait, a step, its end), not just a render.</summary>
    public const float RunTimeout = 30_000;

    public static ILocator Log(IPage page) => page.GetByTestId("log");

    /// <summary>The log line whose visible text is exactly <paramref name="text"/> (line numbers and timestamps aside).</summary>
    public static ILocator Line(IPage page, string text) =>
        Log(page).Locator(".line").Filter(new() { Has = page.Locator(".t", new() { HasTextRegex = new Regex($"^{Regex.Escape(text)}$") }) });

    public static ILocator Status(IPage page) => page.Locator(".facts [data-status]").First;

    public static async Task<string> ApiStatusAsync(UiServer server, long id) =>
        (await server.RunAsync(id)).GetProperty("status").GetString()!;

    /// <summary>A recipe of one step per (name, command) pair.</summary>
    public static string Recipe(params (string Name, string Run)[] steps) =>
        "steps:\n" + string.Concat(steps.Select(s => $"  - name: {s.Name}\n    run: {Quote(s.Run)}\n"));

    // A YAML double-quoted scalar: backslashes and quotes escaped, so shell text goes through as written.
    private static string Quote(string text) => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
