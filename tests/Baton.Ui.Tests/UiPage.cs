using Microsoft.Playwright;

namespace Baton.Ui.Tests;

/// <summary>A page in its own browser context, with what its console said (a page error fails the test that looks).</summary>
public sealed class UiPage : IAsyncDisposable
{
    private readonly List<string> _errors = [];

    public UiPage(IBrowserContext context, IPage page)
    {
        Context = context;
        Page = page;
        // A refused request is recorded with its address (the console's own line for it names none).
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                lock (_errors)
                {
                    _errors.Add($"{response.Status} {response.Request.Method} {response.Url}");
                }
            }
        };
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
            {
                lock (_errors)
                {
                    _errors.Add(message.Text);
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (_errors)
            {
                _errors.Add(error);
            }
        };
    }

    public IBrowserContext Context { get; }

    /// <summary>Forgets the console errors so far (after a step that provokes one on purpose, such as a refused login).</summary>
    public void ForgetErrors()
    {
        lock (_errors)
        {
            _errors.Clear();
        }
    }

    public IPage Page { get; }

    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (_errors)
            {
                return [.. _errors];
            }
        }
    }

    /// <summary>Logs in through the login page with <paramref name="token"/>, then waits for the live page to show.</summary>
    public async Task LogInAsync(string token, string path = "/")
    {
        await Page.GotoAsync($"/login?returnUrl={Uri.EscapeDataString(path)}");
        await Page.GetByLabel("Token").FillAsync(token);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        try
        {
            await Page.WaitForURLAsync(url => new Uri(url).PathAndQuery == path);
        }
        catch (TimeoutException timeout)
        {
            // Twice in a clean-clone run the page never left the login form; the timeout alone says nothing of why.
            throw new TimeoutException(await WhyLoginStayedAsync(path), timeout);
        }
        await Page.Locator("main h1").First.WaitForAsync();
    }

    private async Task<string> WhyLoginStayedAsync(string path)
    {
        var error = await Page.Locator("#login-error").CountAsync() > 0
            ? await Page.Locator("#login-error").TextContentAsync(new() { Timeout = 5_000 })
            : "(no login form on the page)";
        return $"Logging in did not reach {path}: the page is at {Page.Url}, the form's error says \"{error}\", " +
               $"refused requests and console errors: [{string.Join("; ", Errors)}]";
    }

    /// <summary>Saves a full-page screenshot as a test artifact (BATON_UI_SCREENSHOTS, else screenshots/ beside the tests).</summary>
    public async Task ScreenshotAsync(string name)
    {
        var directory = Environment.GetEnvironmentVariable("BATON_UI_SCREENSHOTS") is { Length: > 0 } configured
            ? configured
            : Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(directory);
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(directory, $"{name}.png"), FullPage = true });
    }

    public async ValueTask DisposeAsync() => await Context.DisposeAsync();
}
