using System.Diagnostics;
using System.Globalization;

namespace Baton.Chaos.Cluster;

/// <summary>
/// The `baton server` replicas, each on a fixed loopback port of its own so the front can keep
/// its address across restarts. Leases are short (10 s) so a killed agent's runs come back
/// within the run, not after the default 30 s.
/// </summary>
public sealed class Replicas : IDisposable
{
    public const string AdminToken = "chaos-admin-token-0123456789abcdefghijklmnopq";
    // Generous: a replica starting on a machine busy with the others, the agents and PostgreSQL took up to 66 s in make chaos.
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(180);
    private readonly string _batonDll;
    private readonly string _logDirectory;
    private readonly Dictionary<string, string> _environment;
    private readonly KillableProcess?[] _processes;
    private readonly int[] _restarts;
    private readonly HttpClient _probe = new() { Timeout = TimeSpan.FromSeconds(2) };

    public Replicas(string batonDll, string connectionString, int count, string logDirectory)
    {
        _batonDll = batonDll;
        _logDirectory = logDirectory;
        Urls = [.. Enumerable.Range(0, count).Select(_ => $"http://127.0.0.1:{Ports.Free().ToString(CultureInfo.InvariantCulture)}")];
        _processes = new KillableProcess?[count];
        _restarts = new int[count];
        _environment = new()
        {
            ["BATON_BOOTSTRAP_TOKEN"] = AdminToken,
            ["BATON_Storage__Provider"] = "postgres",
            ["BATON_Storage__ConnectionString"] = connectionString,
            ["BATON_Runs__LeaseSeconds"] = "10",
            ["BATON_Runs__RenewSeconds"] = "3",
            ["BATON_Runs__ClaimWaitSeconds"] = "10",
            ["BATON_Runs__RestartGraceSeconds"] = "10",
            // One client queues thousands of runs and eight agents share one address behind the front.
            ["BATON_RateLimits__PerTokenPerSecond"] = "5000",
            ["BATON_RateLimits__PerTokenBurst"] = "20000",
            ["BATON_RateLimits__PerAgentPerSecond"] = "5000",
            ["BATON_RateLimits__PerAgentBurst"] = "20000",
            ["BATON_Logging__LogLevel__Baton.Server.Infrastructure.Requests"] = "Warning",
        };
    }

    public IReadOnlyList<string> Urls { get; }

    /// <summary>The first replica migrates the database; the others start once it is ready.</summary>
    public async Task StartAllAsync(CancellationToken cancellationToken)
    {
        Start(0);
        await WaitReadyAsync(0, cancellationToken);
        for (var index = 1; index < Urls.Count; index++)
        {
            Start(index);
        }
        for (var index = 1; index < Urls.Count; index++)
        {
            await WaitReadyAsync(index, cancellationToken);
        }
    }

    public async Task KillAsync(int index)
    {
        if (_processes[index] is { } process)
        {
            await process.KillAsync();
            process.Dispose();
            _processes[index] = null;
        }
    }

    /// <summary>Starts the replica again on its own port and answers how long it took to become ready.</summary>
    public async Task<TimeSpan> RestartAsync(int index, CancellationToken cancellationToken)
    {
        var started = Stopwatch.StartNew();
        _restarts[index]++;
        Start(index);
        await WaitReadyAsync(index, cancellationToken);
        return started.Elapsed;
    }

    /// <summary>What the replica's readiness probe answers now (0: it did not answer).</summary>
    public async Task<int> ReadinessAsync(int index, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _probe.GetAsync(new Uri($"{Urls[index]}/healthz/ready"), cancellationToken);
            return (int)response.StatusCode;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return 0;
        }
    }

    public async Task WaitReadyAsync(int index, CancellationToken cancellationToken)
    {
        if (!await Poll.UntilAsync(async () => await ReadinessAsync(index, cancellationToken) == 200, ReadyTimeout, TimeSpan.FromMilliseconds(100),
                cancellationToken))
        {
            throw new TimeoutException($"replica {index + 1} ({Urls[index]}) was not ready after {ReadyTimeout.TotalSeconds} s; see its log in {_logDirectory}");
        }
    }

    public void Dispose()
    {
        foreach (var process in _processes)
        {
            process?.Dispose();
        }
        _probe.Dispose();
    }

    private void Start(int index) =>
        _processes[index] = KillableProcess.Start(_batonDll, $"replica-{index + 1}-{_restarts[index]}", $"server --urls {Urls[index]}", _environment, _logDirectory);
}
