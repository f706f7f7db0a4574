using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Baton.Tests.Support;
using Microsoft.Playwright;

namespace Baton.Ui.Tests;

/// <summary>
/// One real `baton up` (SQLite, one embedded agent) and one headless Chromium for every UI test of the run.
/// Each test opens its own browser context (its own cookies) and makes its own project, so tests share
/// nothing but the server.
/// </summary>
public sealed class UiServer : IAsyncLifetime
{
    public const string AdminToken = "ui-admin-token-0123456789abcdefghijklmnop";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private readonly string _dataDir = Directory.CreateTempSubdirectory("baton-ui-").FullName;
    private BatonProcess? _baton;
    private IPlaywright? _playwright;
    private readonly Lock _sampleLock = new();
    private Task<Sample>? _sample;

    public string Url => _baton!.Url;

    public IBrowser Browser { get; private set; } = default!;

    /// <summary>The API as the admin (arranging data and checking what the UI stored).</summary>
    public HttpClient Api { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        (_baton, var api) = await BatonProcess.StartUpAsync(_dataDir, AdminToken, StartTimeout);
        Api = api;
        // A page refreshes on a signal or every few seconds; a loaded CI machine gets more than Playwright's 5 s default.
        Assertions.SetDefaultExpectTimeout(15_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(DebianChromium.LaunchOptions());
    }

    /// <summary>A new browser context (no cookies) of the given size, its page, and the page's console errors.</summary>
    public async Task<UiPage> OpenAsync(int width = 1280, int height = 900, string? colorScheme = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Url,
            ViewportSize = new ViewportSize { Width = width, Height = height },
            ColorScheme = colorScheme == "dark" ? ColorScheme.Dark : ColorScheme.Light,
        });
        // A deadline for each condition, not a wait: 20 s ran out once for the login's redirect while the CLI tests
        // kept both cores of a CI machine busy (a clean-clone `make test`, 2026-12-03).
        context.SetDefaultTimeout(45_000);
        return new UiPage(context, await context.NewPageAsync());
    }

    /// <summary>A token of <paramref name="role"/> (viewer, maintainer, admin).</summary>
    public async Task<string> TokenAsync(string role)
    {
        var created = await Api.PostAsJsonAsync("/api/tokens", new { name = $"ui-{role}-{Guid.NewGuid():N}", role });
        return (await Json(created)).GetProperty("secret").GetString()!;
    }

    /// <summary>A project with a unique key, its vision, one work item on the embedded agent and its recipe.</summary>
    public async Task<string> ProjectAsync(string recipeYaml, string prefix = "ui")
    {
        var key = $"{prefix}-{Guid.NewGuid():N}"[..20];
        await Ok(await Api.PostAsJsonAsync("/api/projects", new { key, name = $"Project {key}" }));
        await Ok(await Api.PutAsJsonAsync($"/api/projects/{key}/vision", new { text = "Ship small changes safely." }));
        await Ok(await Api.PostAsJsonAsync($"/api/projects/{key}/work-items", new { title = "Build", labels = new[] { "local" } }));
        await Ok(await Api.PutAsync($"/api/projects/{key}/work-items/WI-1/recipe", new StringContent(recipeYaml, Encoding.UTF8, "application/yaml")));
        return key;
    }

    /// <summary>
    /// A project with one finished run (coloured output), made once and only read afterwards: for tests that look at
    /// pages with something on them (accessibility scans), not for tests that change or count things.
    /// </summary>
    public Task<Sample> SampleAsync()
    {
        lock (_sampleLock)
        {
            return _sample ??= MakeSampleAsync();
        }

        async Task<Sample> MakeSampleAsync()
        {
            var project = await ProjectAsync("steps:\n  - name: build\n    run: printf '\\033[31mred\\033[0m and plain\\n'\n", "sample");
            var run = await StartRunAsync(project);
            await WaitForFinalAsync(run);
            return new Sample(project, run);
        }
    }

    public async Task<long> StartRunAsync(string project, string workItem = "WI-1")
    {
        var created = await Api.PostAsJsonAsync($"/api/projects/{project}/work-items/{workItem}/runs", new { });
        return (await Json(created)).GetProperty("id").GetInt64();
    }

    public async Task<JsonElement> RunAsync(long id) => await Json(await Api.GetAsync($"/api/runs/{id}"));

    public async Task<JsonElement> WaitForFinalAsync(long id)
    {
        JsonElement run = default;
        await Eventually.TrueAsync(async () =>
        {
            run = await RunAsync(id);
            return run.GetProperty("status").GetString() is "succeeded" or "failed" or "cancelled" or "timed_out";
        }, TimeSpan.FromSeconds(60), $"run {id} to end");
        return run;
    }

    public static async Task<JsonElement> Json(HttpResponseMessage response)
    {
        await Ok(response);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).Clone();
    }

    private static async Task Ok(HttpResponseMessage response)
    {
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {response.RequestMessage?.RequestUri}: {await response.Content.ReadAsStringAsync()}");
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        _playwright?.Dispose();
        Api?.Dispose();
        if (_baton is not null)
        {
            await _baton.DisposeAsync();
        }
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by the stopping process; the temp directory is the machine's to clean.
        }
    }
}

/// <summary>The shared sample: a project and its finished run.</summary>
public sealed record Sample(string Project, long RunId);

[CollectionDefinition(Name)]
public sealed class UiTestGroup : ICollectionFixture<UiServer>
{
    public const string Name = "ui";
}
