using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Baton.Tests.Support;

namespace Baton.Cli.Tests.Execution;

/// <summary>
/// A real `baton server` process on SQLite or PostgreSQL and real `baton agent` processes,
/// driven over HTTP. Leases are short (4 s, renewed every second) so that expiry happens
/// within a test; everything else is as in production.
/// </summary>
public sealed class ExecutionCluster : IAsyncDisposable
{
    public const string AdminToken = "cluster-admin-token-0123456789abcdefghijk";
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    private readonly string _directory = System.IO.Directory.CreateTempSubdirectory("baton-cluster-").FullName;
    private readonly Dictionary<string, string> _environment;
    private readonly List<BatonProcess> _agents = [];
    private readonly string? _database;
    private string? _agentToken;

    private ExecutionCluster(string provider, string? database, IReadOnlyDictionary<string, string>? settings)
    {
        _database = database;
        _environment = new Dictionary<string, string>
        {
            ["BATON_BOOTSTRAP_TOKEN"] = AdminToken,
            ["BATON_Storage__Provider"] = provider,
            ["BATON_Storage__DataDirectory"] = Path.Combine(_directory, "data"),
            ["BATON_Runs__LeaseSeconds"] = "4",
            ["BATON_Runs__RenewSeconds"] = "1",
            ["BATON_Runs__RestartGraceSeconds"] = "8",
            ["BATON_Runs__ClaimWaitSeconds"] = "20",
        };
        if (database is not null)
        {
            _environment["BATON_Storage__ConnectionString"] = database;
        }
        foreach (var (name, value) in settings ?? new Dictionary<string, string>())
        {
            _environment[name] = value;
        }
        Server = BatonProcess.Start("server --urls {url}", _environment, _directory);
        Admin = new HttpClient { BaseAddress = new Uri(Server.Url), Timeout = TimeSpan.FromSeconds(60) };
        Admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
    }

    public BatonProcess Server { get; private set; }

    public HttpClient Admin { get; }

    public string Directory => _directory;

    /// <param name="settings">Extra environment variables of the server (e.g. BATON_Logs__Format).</param>
    public static async Task<ExecutionCluster> StartAsync(string provider, IReadOnlyDictionary<string, string>? settings = null)
    {
        var database = provider == "postgres" ? await PostgresTestServer.CreateDatabaseAsync("baton_cluster") : null;
        var cluster = new ExecutionCluster(provider, database, settings);
        await cluster.ReadyAsync();
        return cluster;
    }

    /// <summary>Kills the server with SIGKILL and starts it again on the same database and URL.</summary>
    public async Task RestartServerHardAsync()
    {
        await Server.KillHardAsync();
        await Server.DisposeAsync();
        Server = BatonProcess.Start("server --urls {url}", _environment, _directory, Server.Url);
        await ReadyAsync();
    }

    public async Task<BatonProcess> StartAgentAsync(string name, string labels, int capacity = 1, string options = "")
    {
        _agentToken ??= await TokenAsync("agent");
        var workDir = Path.Combine(_directory, "agents", name);
        var agent = BatonProcess.Start(
            $"agent --server {Server.Url} --token {_agentToken} --labels {labels} --capacity {capacity} --work-dir \"{workDir}\" --name {name} {options}",
            workingDirectory: _directory);
        return await RegisteredAsync(agent, name);
    }

    /// <summary>
    /// The native agent at <paramref name="executable"/>, told its server and token through BATON_SERVER and BATON_TOKEN
    /// (the other options as for <see cref="StartAgentAsync"/>).
    /// </summary>
    public async Task<BatonProcess> StartNativeAgentAsync(string executable, string name, string labels, int capacity)
    {
        _agentToken ??= await TokenAsync("agent");
        var workDir = Path.Combine(_directory, "agents", name);
        var agent = BatonProcess.StartExecutable(executable, $"--labels {labels} --capacity {capacity} --work-dir \"{workDir}\" --name {name}",
            new Dictionary<string, string> { ["BATON_SERVER"] = Server.Url, ["BATON_TOKEN"] = _agentToken }, _directory);
        return await RegisteredAsync(agent, name);
    }

    /// <summary>Waits until the server lists <paramref name="agent"/> as seen within the last 3 s.</summary>
    private async Task<BatonProcess> RegisteredAsync(BatonProcess agent, string name)
    {
        _agents.Add(agent);
        await Eventually.TrueAsync(async () =>
        {
            Assert.False(agent.HasExited, $"agent {name} exited:\n{agent.Output}");
            var agents = await Admin.GetFromJsonAsync<JsonElement>("/api/agents");
            return agents.EnumerateArray().Any(a => a.GetProperty("name").GetString() == name && a.GetProperty("status").GetString() != "lost"
                && DateTimeOffset.Parse(a.GetProperty("lastSeenAt").GetString()!, CultureInfo.InvariantCulture) > TimeProvider.System.GetUtcNow().AddSeconds(-3));
        }, Deadline, $"agent {name} to register");
        return agent;
    }

    /// <summary>A project (with <paramref name="policy"/>) and one work item with <paramref name="yaml"/> as its recipe.</summary>
    public async Task<(string Project, string WorkItem)> WorkItemAsync(string yaml, string label, object? policy = null)
    {
        var project = "c" + Guid.NewGuid().ToString("N")[..10];
        (await Admin.PostAsJsonAsync("/api/projects", new { key = project, name = project, policy })).EnsureSuccessStatusCode();
        var item = await Admin.PostAsJsonAsync($"/api/projects/{project}/work-items", new { title = "item", labels = new[] { label } });
        var key = (await item.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
        var recipe = await Admin.PutAsync($"/api/projects/{project}/work-items/{key}/recipe", new StringContent(yaml, Encoding.UTF8, "application/yaml"));
        Assert.True(recipe.IsSuccessStatusCode, await recipe.Content.ReadAsStringAsync());
        return (project, key);
    }

    public async Task<long> StartRunAsync(string project, string workItem)
    {
        var response = await Admin.PostAsync($"/api/projects/{project}/work-items/{workItem}/runs", null);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }

    public async Task<JsonElement> RunAsync(long runId) => await Admin.GetFromJsonAsync<JsonElement>($"/api/runs/{runId}");

    /// <summary>Waits until the run satisfies <paramref name="condition"/>; returns it then.</summary>
    public Task<JsonElement> WaitForRunAsync(long runId, Func<JsonElement, bool> condition, string what, TimeSpan? timeout = null) =>
        Eventually.MatchesAsync(() => RunAsync(runId), condition, timeout ?? Deadline, $"run {runId}: {what}");

    public Task<JsonElement> WaitForStatusAsync(long runId, string status) =>
        WaitForRunAsync(runId, run => run.GetProperty("status").GetString() == status, $"status {status}");

    /// <summary>Every stored line of the run, read page by page.</summary>
    public async Task<List<JsonElement>> LogAsync(long runId)
    {
        var lines = new List<JsonElement>();
        long after = 0;
        while (true)
        {
            var page = await Admin.GetFromJsonAsync<JsonElement>($"/api/runs/{runId}/logs?after={after}&limit=10000");
            var items = page.GetProperty("items").EnumerateArray().ToList();
            lines.AddRange(items);
            if (items.Count == 0 || page.GetProperty("nextAfter").ValueKind == JsonValueKind.Null)
            {
                return lines;
            }
            after = items[^1].GetProperty("n").GetInt64();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var agent in _agents)
        {
            await agent.DisposeAsync();
        }
        await Server.DisposeAsync();
        Admin.Dispose();
        if (_database is not null)
        {
            await PostgresTestServer.DropDatabaseAsync(_database);
        }
        try
        {
            System.IO.Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A killed step may still hold a file for a moment; the temp directory is cleaned by the OS.
        }
    }

    private async Task ReadyAsync()
    {
        using var probe = new HttpClient { BaseAddress = new Uri(Server.Url) };
        await Eventually.TrueAsync(async () =>
        {
            if (Server.HasExited)
            {
                throw new InvalidOperationException($"the server exited ({Server.ExitCode}): {Server.Output}");
            }
            try
            {
                return (await probe.GetAsync("/healthz/ready")).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, Deadline, "the server to be ready");
    }

    private async Task<string> TokenAsync(string role)
    {
        var response = await Admin.PostAsJsonAsync("/api/tokens", new { name = $"{role}-{Guid.NewGuid():N}", role });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;
    }
}
