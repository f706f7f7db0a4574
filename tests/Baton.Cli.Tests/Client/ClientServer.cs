using System.Net.Http.Json;
using System.Text.Json;
using Baton.Tests.Support;

namespace Baton.Cli.Tests.Client;

/// <summary>
/// One real `baton up` (SQLite, one embedded agent with labels local and linux) for every client command test.
/// Each test makes its own project and its own config file, so tests share nothing but the server.
/// </summary>
public sealed class ClientServer : IAsyncLifetime
{
    public const string AdminToken = "cli-admin-token-0123456789abcdefghijklmnop";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private readonly string _dataDir = Directory.CreateTempSubdirectory("baton-cli-").FullName;
    private BatonProcess? _baton;

    public string Url => _baton!.Url;

    /// <summary>The API as the admin, to arrange and check what the CLI did.</summary>
    public HttpClient Api { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        (_baton, var api) = await BatonProcess.StartUpAsync(_dataDir, AdminToken, StartTimeout);
        Api = api;
    }

    /// <summary>A shell with a fresh config file of its own, pointed at this server with the admin token.</summary>
    public Cli Shell(string? project = null) => ShellWithout(("BATON_SERVER", Url), ("BATON_TOKEN", AdminToken), ("BATON_PROJECT", project));

    /// <summary>A shell with a fresh config file and only the variables given (null values are left out).</summary>
    public static Cli ShellWithout(params (string Name, string? Value)[] variables)
    {
        var environment = variables.Where(v => v.Value is not null).ToDictionary(v => v.Name, v => v.Value!);
        environment["BATON_CONFIG"] = Path.Combine(Directory.CreateTempSubdirectory("baton-cli-config-").FullName, "baton", "config.json");
        return new Cli(environment);
    }

    /// <summary>A new project for one test (key unique per call), with the given policy or default label 'local'.</summary>
    public async Task<string> ProjectAsync(object? policy = null)
    {
        var key = "p-" + Guid.NewGuid().ToString("N")[..10];
        (await Api.PostAsJsonAsync("/api/projects", new { key, name = key, policy = policy ?? new { defaultLabels = new[] { "local" } } }))
            .EnsureSuccessStatusCode();
        return key;
    }

    public async Task<JsonElement> GetAsync(string path) => await Api.GetFromJsonAsync<JsonElement>(path);

    /// <summary>
    /// Cancels every run of the project that has not ended, and waits until none is left: a test that failed half-way
    /// must not leave a run holding the one agent every later test needs.
    /// </summary>
    public async Task EndRunsAsync(string project)
    {
        foreach (var run in (await GetAsync($"/api/runs?project={project}")).GetProperty("items").EnumerateArray())
        {
            if (!Ended(run))
            {
                // A run that ends meanwhile answers 409; either way it ends.
                using var _ = await Api.PostAsync($"/api/runs/{run.GetProperty("id").GetInt64()}/cancel", null);
            }
        }
        await Eventually.TrueAsync(async () => (await GetAsync($"/api/runs?project={project}")).GetProperty("items").EnumerateArray()
            .All(Ended), TimeSpan.FromSeconds(60), $"every run of {project} to end");
    }

    private static bool Ended(JsonElement run) => run.TryGetProperty("finishedAt", out var at) && at.ValueKind != JsonValueKind.Null;

    public async Task DisposeAsync()
    {
        Api.Dispose();
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
            // A file still held open by the dying process; the temp directory is cleaned by the system.
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ClientTestGroup : ICollectionFixture<ClientServer>
{
    public const string Name = "client server";
}
