using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Baton.Tests.Support;

namespace Baton.Cli.Tests;

/// <summary>The real `baton` process, driven over HTTP as a user would.</summary>
public sealed class BatonUpEndToEndTests : IDisposable
{
    private const string Token = "e2e-admin-token-0123456789abcdefghijklmn";
    // A deadline, not a wait: `baton up` is ready in about 5 s on an idle machine, but this class's first start meets the
    // busiest minute of `make test` (the chaos test starting 3 replicas, 8 agents and a PostgreSQL beside it on 2 cores),
    // and 60 s ran out there in 2 of 3 clean-clone runs on 2026-12-03.
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);
    private readonly string _dataDir = Directory.CreateTempSubdirectory("baton-e2e-").FullName;

    [Fact]
    public async Task Up_ServesTheMinimalDeliveryFlow_OverHttp()
    {
        await using var baton = BatonProcess.Start($"up --urls {{url}} --data-dir \"{_dataDir}\"",
            new Dictionary<string, string> { ["BATON_BOOTSTRAP_TOKEN"] = Token });
        using var http = await ReadyClientAsync(baton, Token);

        Assert.Equal(HttpStatusCode.Created, (await http.PostAsJsonAsync("/api/projects", new { key = "shop", name = "Shop" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await http.PutAsJsonAsync("/api/projects/shop/vision", new { text = "Sell things." })).StatusCode);
        var requirement = await http.PostAsJsonAsync("/api/projects/shop/requirements", new { title = "Checkout", acceptanceCriteria = new[] { "pays" } });
        Assert.Equal("REQ-1", (await Json(requirement)).GetProperty("key").GetString());
        var approved = await http.PostAsJsonAsync("/api/projects/shop/requirements/REQ-1/approve", new { comment = "yes" });
        Assert.Equal("approved", (await Json(approved)).GetProperty("status").GetString());
        var item = await http.PostAsJsonAsync("/api/projects/shop/work-items", new { title = "Build", requirements = new[] { "REQ-1" } });
        Assert.Equal("WI-1", (await Json(item)).GetProperty("key").GetString());

        const string yaml = "# build it\nsteps:\n  - name: build\n    run: echo building\n";
        var put = await http.PutAsync("/api/projects/shop/work-items/WI-1/recipe", new StringContent(yaml, Encoding.UTF8, "application/yaml"));
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        using var getYaml = new HttpRequestMessage(HttpMethod.Get, "/api/projects/shop/work-items/WI-1/recipe");
        getYaml.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/yaml"));
        Assert.Equal(yaml, await (await http.SendAsync(getYaml)).Content.ReadAsStringAsync());
        var parsed = await Json(await http.GetAsync("/api/projects/shop/work-items/WI-1/recipe"));
        Assert.Equal("echo building", parsed.GetProperty("recipe").GetProperty("steps")[0].GetProperty("run").GetString());

        Assert.True(File.Exists(Path.Combine(_dataDir, "baton.db")), "SQLite lives in the data directory");
        Assert.Equal(baton.ProcessId.ToString(CultureInfo.InvariantCulture), (await File.ReadAllTextAsync(Path.Combine(_dataDir, "baton.pid"))).Trim());
    }

    [Fact]
    public async Task Up_ExecutesRunsWithItsEmbeddedAgentOverHttp_AndLetsARunningRunFinishOnSigterm()
    {
        await using var baton = BatonProcess.Start($"up --urls {{url}} --data-dir \"{_dataDir}\"",
            new Dictionary<string, string> { ["BATON_BOOTSTRAP_TOKEN"] = Token });
        using var http = await ReadyClientAsync(baton, Token);
        (await http.PostAsJsonAsync("/api/projects", new { key = "solo", name = "Solo" })).EnsureSuccessStatusCode();
        (await http.PostAsJsonAsync("/api/projects/solo/work-items", new { title = "Greet", labels = new[] { "local" } })).EnsureSuccessStatusCode();
        // The secret reaches the step as a variable; the agent masks it (raw and base64) before a line leaves the machine.
        const string yaml = "steps:\n  - name: greet\n    run: echo \"hello from $BATON_WORK_ITEM\"; echo \"key=$DEPLOY_KEY\"; printf %s \"$DEPLOY_KEY\" | base64\n"
            + "  - name: linger\n    run: sleep 4; echo lingered\n";
        (await http.PutAsync("/api/projects/solo/work-items/WI-1/recipe", new StringContent(yaml, Encoding.UTF8, "application/yaml"))).EnsureSuccessStatusCode();
        (await http.PutAsJsonAsync("/api/projects/solo/secrets/DEPLOY_KEY", new { value = "correct-horse-battery" })).EnsureSuccessStatusCode();

        var first = await StartRunAsync(http);
        var done = await WaitForStatusAsync(http, first, "succeeded");
        var log = await http.GetStringAsync($"/api/runs/{first}/logs?format=text");
        var agents = await Json(await http.GetAsync("/api/agents"));

        Assert.Equal("hello from WI-1\nkey=***\n***\nlingered\n", log);
        Assert.EndsWith("-up-1", done.GetProperty("agent").GetString(), StringComparison.Ordinal);
        Assert.Contains(agents.EnumerateArray(), a => a.GetProperty("name").GetString()!.EndsWith("-up-1", StringComparison.Ordinal));

        // SIGTERM while a run is in its second step: the agent drains (the run finishes) before the server stops.
        var second = await StartRunAsync(http);
        await Eventually.TrueAsync(async () => (await Json(await http.GetAsync($"/api/runs/{second}"))).GetProperty("steps")[1]
            .GetProperty("status").GetString() == "running", StartTimeout, "the second run to reach its sleeping step");
        baton.Signal("TERM");
        Assert.Equal(0, await baton.WaitForExitAsync(StartTimeout));

        await using var again = BatonProcess.Start($"up --agents 0 --urls {{url}} --data-dir \"{_dataDir}\"");
        using var check = await ReadyClientAsync(again, Token);
        Assert.Equal("succeeded", (await Json(await check.GetAsync($"/api/runs/{second}"))).GetProperty("status").GetString());
    }

    private static async Task<long> StartRunAsync(HttpClient http)
    {
        var response = await http.PostAsync("/api/projects/solo/work-items/WI-1/runs", null);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await Json(response)).GetProperty("id").GetInt64();
    }

    private static async Task<JsonElement> WaitForStatusAsync(HttpClient http, long runId, string status)
    {
        await Eventually.TrueAsync(async () => (await Json(await http.GetAsync($"/api/runs/{runId}"))).GetProperty("status").GetString() == status,
            StartTimeout, $"run {runId} to be {status}");
        return await Json(await http.GetAsync($"/api/runs/{runId}"));
    }

    [Fact]
    public async Task Up_PrintsAGeneratedAdminTokenOnce_WhenNoBootstrapTokenIsSet()
    {
        string secret;
        await using (var first = BatonProcess.Start($"up --urls {{url}} --data-dir \"{_dataDir}\""))
        {
            var output = await Eventually.ReturnsAsync(
                () => Task.FromResult(first.Output.Contains("Bearer baton_", StringComparison.Ordinal) ? first.Output : null),
                StartTimeout, "the first-start token banner");
            secret = "baton_" + output.Split("Bearer baton_")[1].Split('"')[0];
            using var http = await ReadyClientAsync(first, secret);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/projects")).StatusCode);
        }

        await using var second = BatonProcess.Start($"up --urls {{url}} --data-dir \"{_dataDir}\"");
        using var again = await ReadyClientAsync(second, secret);
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/api/projects")).StatusCode);
        Assert.DoesNotContain("Bearer baton_", second.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_StopsWithOneLineNamingTheSetting_WhenConfigurationIsInvalid()
    {
        await using var baton = BatonProcess.Start("server --urls {url}",
            new Dictionary<string, string> { ["BATON_Storage__Provider"] = "mysql" }, _dataDir);

        Assert.Equal(2, await baton.WaitForExitAsync(StartTimeout));
        Assert.Contains("Storage:Provider must be 'sqlite' or 'postgres' (got 'mysql')", baton.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Up_StopsWithOneClearLine_WhenTheAddressIsTaken()
    {
        using var taken = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        await using var baton = BatonProcess.Start($"up --urls http://127.0.0.1:{port} --data-dir \"{_dataDir}\"");

        Assert.Equal(2, await baton.WaitForExitAsync(StartTimeout));
        Assert.Contains($"baton: cannot listen: Failed to bind to address http://127.0.0.1:{port}", baton.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", baton.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Configuration_EnvironmentWinsOverDotEnv_WhichWinsOverAppSettings()
    {
        await File.WriteAllTextAsync(Path.Combine(_dataDir, ".env"), "# local settings\nBATON_Storage__Provider=oracle\n");

        await using (var fromDotEnv = BatonProcess.Start("server --urls {url}", workingDirectory: _dataDir))
        {
            Assert.Equal(2, await fromDotEnv.WaitForExitAsync(StartTimeout));
            Assert.Contains("(got 'oracle')", fromDotEnv.Output, StringComparison.Ordinal);
        }

        await using var fromEnvironment = BatonProcess.Start("server --urls {url}",
            new Dictionary<string, string>
            {
                ["BATON_Storage__Provider"] = "sqlite",
                ["BATON_Storage__DataDirectory"] = Path.Combine(_dataDir, "data"),
                ["BATON_BOOTSTRAP_TOKEN"] = Token,
            },
            _dataDir);
        using var http = await ReadyClientAsync(fromEnvironment, Token);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/projects")).StatusCode);
    }

    [Fact]
    public async Task Seed_CreatesTheSampleProject_ThatUpThenServes()
    {
        await using (var seed = BatonProcess.Start($"seed --data-dir \"{_dataDir}\""))
        {
            Assert.Equal(0, await seed.WaitForExitAsync(StartTimeout));
        }

        await using var baton = BatonProcess.Start($"up --urls {{url}} --data-dir \"{_dataDir}\"",
            new Dictionary<string, string> { ["BATON_BOOTSTRAP_TOKEN"] = Token });
        using var http = await ReadyClientAsync(baton, Token);
        var overview = await Json(await http.GetAsync("/api/projects/demo/overview"));
        var counts = overview.GetProperty("requirementCounts");
        Assert.Equal(3, counts.GetProperty("approved").GetInt32());
        Assert.Equal(1, counts.GetProperty("proposed").GetInt32());
        Assert.Equal(1, counts.GetProperty("rejected").GetInt32());
        var items = await Json(await http.GetAsync("/api/projects/demo/work-items"));
        Assert.Equal(6, items.GetProperty("items").GetArrayLength());
        Assert.Equal(["WI-2", "WI-3"], items.GetProperty("items")[3].GetProperty("dependsOn").EnumerateArray().Select(e => e.GetString()));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
            // A process may still be closing its files; the temp directory is cleaned by the OS.
        }
    }

    private static async Task<HttpClient> ReadyClientAsync(BatonProcess baton, string token)
    {
        var http = new HttpClient { BaseAddress = new Uri(baton.Url) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        try
        {
            await Eventually.ReturnsAsync(async () =>
            {
                Assert.False(baton.HasExited, $"baton exited early:\n{baton.Output}");
                try
                {
                    return (await http.GetAsync("/healthz/ready")).IsSuccessStatusCode ? "ready" : null;
                }
                catch (HttpRequestException)
                {
                    return null;
                }
            }, StartTimeout, $"baton at {baton.Url} to be ready");
        }
        catch (TimeoutException timeout)
        {
            // What the process said is the only clue to why it never became ready.
            throw new TimeoutException($"{timeout.Message}; its output:\n{baton.Output}", timeout);
        }
        return http;
    }

    private static async Task<JsonElement> Json(HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();
}
