using System.Diagnostics;
using Baton.Chaos.Checking;
using Baton.Chaos.Cluster;

namespace Baton.Chaos.Faults;

/// <summary>
/// Makes the faults while the chaos lasts: a random replica killed (kill -9) and restarted every
/// <see cref="ChaosOptions.ReplicaKillEvery"/>, a random agent killed and replaced by a new one every
/// <see cref="ChaosOptions.AgentKillEvery"/>, and PostgreSQL crashed once and started again. When the
/// chaos ends every replica is up and the fleet is whole again.
/// </summary>
public sealed class FaultMaker(ChaosOptions options, PostgresCluster postgres, Replicas replicas, Agents agents, StoreProbe store, FaultLog log) : IDisposable
{
    private static readonly TimeSpan RecoveryLimit = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);
    private readonly List<Task> _recoveries = [];
    // A replica's restart and PostgreSQL's are not overlapped: each recovery time is then that fault's alone.
    private readonly SemaphoreSlim _serverFaults = new(1, 1);

    public async Task RunAsync(CancellationToken chaos)
    {
        if (options.Calm)
        {
            return;
        }
        await Task.WhenAll(KillReplicasAsync(chaos), KillAgentsAsync(chaos), RestartPostgresAsync(chaos));
        await Task.WhenAll(_recoveries);
    }

    private async Task KillReplicasAsync(CancellationToken chaos)
    {
        for (var kills = 0; options.ReplicaKills is not { } most || kills < most; kills++)
        {
            if (!await PauseAsync(options.ReplicaKillEvery, chaos))
            {
                return;
            }
            await _serverFaults.WaitAsync(CancellationToken.None);
            try
            {
                var index = Random.Shared.Next(replicas.Urls.Count);
                var at = log.Now;
                var down = Stopwatch.StartNew();
                await replicas.KillAsync(index);
                // Restarted whatever the chaos does meanwhile: it must end with every replica up.
                await replicas.RestartAsync(index, CancellationToken.None);
                log.Add(new Fault(FaultKind.ReplicaKill, $"replica-{index + 1}", at, down.Elapsed.TotalSeconds));
            }
            finally
            {
                _serverFaults.Release();
            }
        }
    }

    private async Task KillAgentsAsync(CancellationToken chaos)
    {
        for (var kills = 0; options.AgentKills is not { } most || kills < most; kills++)
        {
            if (!await PauseAsync(options.AgentKillEvery, chaos))
            {
                return;
            }
            // An agent in the middle of a run, when there is one: killing an idle one would test nothing.
            var busy = await store.BusyAgentsAsync(CancellationToken.None);
            var candidates = agents.Names.Where(busy.Contains).ToList() is { Count: > 0 } holding ? holding : agents.Names;
            var name = candidates[Random.Shared.Next(candidates.Count)];
            var at = log.Now;
            await agents.KillAsync(name);
            var held = await store.RunningOnAsync(name, CancellationToken.None);
            agents.Start(1);
            _recoveries.Add(RunsBackAsync(name, at, held));
        }
    }

    /// <summary>How long until the dead agent's runs were requeued or finished by others (its leases expired and the reaper acted).</summary>
    private async Task RunsBackAsync(string agent, double at, long? held)
    {
        var note = $"held {held?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "an unknown number of"} run(s) when killed";
        log.Add(await Poll.UntilAsync(async () => await store.RunningOnAsync(agent, CancellationToken.None) == 0, RecoveryLimit, Interval,
                CancellationToken.None)
            ? new Fault(FaultKind.AgentKill, agent, at, log.Now - at, note)
            : new Fault(FaultKind.AgentKill, agent, at, null, $"{note}; some still running on it after {RecoveryLimit.TotalSeconds} s"));
    }

    private async Task RestartPostgresAsync(CancellationToken chaos)
    {
        if (!await PauseAsync(options.PostgresRestartAfter, chaos))
        {
            return;
        }
        await _serverFaults.WaitAsync(CancellationToken.None);
        try
        {
            await CrashPostgresAsync();
        }
        finally
        {
            _serverFaults.Release();
        }
    }

    private async Task CrashPostgresAsync()
    {
        var at = log.Now;
        var crashed = Stopwatch.StartNew();
        await postgres.CrashAsync(CancellationToken.None);
        var notReady = new bool[replicas.Urls.Count];
        while (crashed.Elapsed < options.PostgresDownFor)
        {
            for (var index = 0; index < notReady.Length; index++)
            {
                notReady[index] |= await replicas.ReadinessAsync(index, CancellationToken.None) == 503;
            }
            await Task.Delay(Interval, CancellationToken.None);
        }
        await postgres.StartServerAsync(CancellationToken.None);
        var back = log.Now;
        for (var index = 0; index < notReady.Length; index++)
        {
            await replicas.WaitReadyAsync(index, CancellationToken.None);
        }
        log.Add(new Fault(FaultKind.PostgresRestart, "postgres", at, log.Now - back,
            $"down {options.PostgresDownFor.TotalSeconds} s; replicas that answered 503 on /healthz/ready meanwhile: {notReady.Count(seen => seen)} of {notReady.Length}"));
    }

    /// <summary>Waits <paramref name="delay"/>; false when the chaos ended first.</summary>
    private static async Task<bool> PauseAsync(TimeSpan delay, CancellationToken chaos)
    {
        await Task.Delay(delay, chaos).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        return !chaos.IsCancellationRequested;
    }

    public void Dispose() => _serverFaults.Dispose();
}
