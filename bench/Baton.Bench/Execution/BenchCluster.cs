using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Baton.Bench.Execution;

/// <summary>A `baton server` (SQLite in a temp directory, or PostgreSQL) and its `baton agent`s, as separate Release processes.</summary>
internal sealed class BenchCluster : IAsyncDisposable
{
    public const string AdminToken = "bench-admin-token-0123456789abcdefghijklmnop";
    private static readonly string[] BenchLabels = ["bench"];
    private readonly string _directory = Directory.CreateTempSubdirectory("baton-bench-").FullName;
    private readonly List<Process> _processes = [];

    private BenchCluster(string batonDll)
    {
        BatonDll = Path.GetFullPath(batonDll);
        Url = $"http://127.0.0.1:{FreePort()}";
        Admin = new HttpClient { BaseAddress = new Uri(Url), Timeout = TimeSpan.FromMinutes(5) };
        Admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
    }

    public string BatonDll { get; }
    public string Url { get; }
    public HttpClient Admin { get; }
    public Process Server { get; private set; } = null!;
    public Process Agent => Agents[0];
    public List<Process> Agents { get; } = [];

    /// <param name="postgres">A PostgreSQL connection string for the server's storage (default: SQLite in a temp directory).</param>
    /// <param name="agent">Whether to start agents (the read benchmarks need none).</param>
    /// <param name="agents">How many agent processes, each of <paramref name="capacity"/> runs at once.</param>
    /// <param name="nativeAgent">The native baton-agent to start the agents from (default: `baton agent` of <paramref name="batonDll"/>).</param>
    /// <param name="unlimitedToken">
    /// Raise the admin token's rate limit (200 requests/s, burst 1,000 by default) past anything the bench reaches, for a bench
    /// that measures how fast the server can go rather than the limiter. It is raised, not switched off, so the limiter's own
    /// cost stays in the figure.
    /// </param>
    public static async Task<BenchCluster> StartAsync(string batonDll, string? postgres = null, bool agent = true, int agents = 1, int capacity = 1,
        string? nativeAgent = null, bool unlimitedToken = false)
    {
        var cluster = new BenchCluster(batonDll);
        var environment = new Dictionary<string, string>
        {
            ["BATON_BOOTSTRAP_TOKEN"] = AdminToken,
            ["BATON_Storage__Provider"] = postgres is null ? "sqlite" : "postgres",
            ["BATON_Storage__DataDirectory"] = Path.Combine(cluster._directory, "data"),
            // Request logging is per request; at thousands of requests a second it would measure the console.
            ["BATON_Logging__LogLevel__Baton.Server.Infrastructure.Requests"] = "Warning",
        };
        if (postgres is not null)
        {
            environment["BATON_Storage__ConnectionString"] = postgres;
        }
        if (unlimitedToken)
        {
            environment["BATON_RateLimits__PerTokenPerSecond"] = "10000000";
            environment["BATON_RateLimits__PerTokenBurst"] = "10000000";
        }
        cluster.Server = cluster.Start($"server --urls {cluster.Url}", environment);
        await cluster.WaitReadyAsync();
        if (!agent)
        {
            return cluster;
        }
        var token = await cluster.TokenAsync();
        for (var i = 0; i < agents; i++)
        {
            var name = i == 0 ? "bench-agent" : $"bench-agent-{i + 1}";
            var options = $"--server {cluster.Url} --token {token} --labels bench --capacity {capacity} --work-dir {Path.Combine(cluster._directory, name)} --name {name}";
            Dictionary<string, string> quiet = new() { ["Logging__LogLevel__Default"] = "Warning" };
            cluster.Agents.Add(nativeAgent is null
                ? cluster.Start($"agent {options}", quiet)
                : cluster.Start(new ProcessStartInfo(Path.GetFullPath(nativeAgent), options), quiet));
        }
        await cluster.WaitForAgentsAsync(agents);
        return cluster;
    }

    /// <summary>A project with one work item (label "bench") running <paramref name="yaml"/>.</summary>
    public async Task<(string Project, string WorkItem)> WorkItemAsync(string yaml)
    {
        var project = "b" + Guid.NewGuid().ToString("N")[..10];
        (await Admin.PostAsJsonAsync("/api/projects", new { key = project, name = project })).EnsureSuccessStatusCode();
        (await Admin.PostAsJsonAsync($"/api/projects/{project}/work-items", new { title = "bench", labels = BenchLabels })).EnsureSuccessStatusCode();
        (await Admin.PutAsync($"/api/projects/{project}/work-items/WI-1/recipe", new StringContent(yaml, Encoding.UTF8, "application/yaml")))
            .EnsureSuccessStatusCode();
        return (project, "WI-1");
    }

    /// <summary>
    /// Starts a run; a 429 waits its Retry-After and asks again, as a script should. A token may start 1,000 runs at once and
    /// 200 a second after that (RateLimits), so only a bench that makes more than that, faster, meets it.
    /// </summary>
    public async Task<long> StartRunAsync(string project, string workItem)
    {
        var response = await Admin.PostAsync($"/api/projects/{project}/work-items/{workItem}/runs", null);
        while (response.StatusCode == System.Net.HttpStatusCode.TooManyRequests)
        {
            await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1));
            response.Dispose();
            response = await Admin.PostAsync($"/api/projects/{project}/work-items/{workItem}/runs", null);
        }
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }

    /// <summary>
    /// Waits for the run's end through its live log stream (no polling), then reads it. Asking for
    /// lines after a number no run reaches makes the stream send only its end message, so the
    /// watcher costs one small read per change instead of re-reading every step.
    /// </summary>
    public async Task<JsonElement> WaitForEndAsync(long runId)
    {
        using var socket = new System.Net.WebSockets.ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", $"Bearer {AdminToken}");
        await socket.ConnectAsync(new Uri($"{Url.Replace("http", "ws", StringComparison.Ordinal)}/api/runs/{runId}/logs/stream?after={long.MaxValue / 2}"), CancellationToken.None);
        var buffer = new byte[1 << 16];
        while (true)
        {
            var received = await socket.ReceiveAsync(buffer, CancellationToken.None);
            if (received.MessageType == System.Net.WebSockets.WebSocketMessageType.Close)
            {
                break;
            }
        }
        return await Admin.GetFromJsonAsync<JsonElement>($"/api/runs/{runId}");
    }

    /// <summary>Methods the server's JIT has compiled so far, from its runtime metrics: it stops climbing once the server is warm.</summary>
    public async Task<long> JitCompiledMethodsAsync()
    {
        const string metric = "dotnet_jit_compiled_methods_total";
        var text = await Admin.GetStringAsync("/metrics");
        var line = text.Split('\n').Single(l => l.StartsWith(metric + "{", StringComparison.Ordinal) || l.StartsWith(metric + " ", StringComparison.Ordinal));
        return long.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Requests the server has answered so far with <paramref name="method"/> on routes starting with <paramref name="routePrefix"/>,
    /// from the request-duration histogram's counts on its <c>/metrics</c>.
    /// </summary>
    public async Task<long> RequestsAsync(string method, string routePrefix)
    {
        const string metric = "http_server_request_duration_seconds_count{";
        var text = await Admin.GetStringAsync("/metrics");
        return text.Split('\n')
            .Where(l => l.StartsWith(metric, StringComparison.Ordinal)
                && l.Contains($"http_request_method=\"{method}\"", StringComparison.Ordinal)
                && l.Contains($"http_route=\"{routePrefix}", StringComparison.Ordinal))
            .Sum(l => long.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
    }

    /// <summary>Peak resident memory (VmHWM) of a process, in MB.</summary>
    public static double PeakMegabytes(Process process) => StatusMegabytes(process, "VmHWM:");

    /// <summary>Resident memory now (VmRSS) of a process, in MB.</summary>
    public static double ResidentMegabytes(Process process) => StatusMegabytes(process, "VmRSS:");

    private static double StatusMegabytes(Process process, string field)
    {
        var line = File.ReadLines($"/proc/{process.Id}/status").First(l => l.StartsWith(field, StringComparison.Ordinal));
        return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in Enumerable.Reverse(_processes))
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
            process.Dispose();
        }
        Admin.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private Process Start(string arguments, Dictionary<string, string> environment) =>
        Start(new ProcessStartInfo("dotnet", $"\"{BatonDll}\" {arguments}"), environment);

    private Process Start(ProcessStartInfo start, Dictionary<string, string> environment)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        start.WorkingDirectory = _directory;
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        var process = Process.Start(start)!;
        // Drained, so a chatty process never blocks on a full pipe.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { Console.Error.WriteLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _processes.Add(process);
        return process;
    }

    private async Task WaitReadyAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            try
            {
                if ((await Admin.GetAsync("/healthz/ready")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("the server did not become ready");
    }

    private async Task WaitForAgentsAsync(int count)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            var agents = await Admin.GetFromJsonAsync<JsonElement>("/api/agents");
            if (agents.EnumerateArray().Count(a => a.GetProperty("name").GetString()!.StartsWith("bench-agent", StringComparison.Ordinal)) >= count)
            {
                return;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("the agents did not register");
    }

    private async Task<string> TokenAsync()
    {
        var response = await Admin.PostAsJsonAsync("/api/tokens", new { name = "bench-agent", role = "agent" });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
