using System.Globalization;
using Baton.Chaos.Checking;
using Baton.Chaos.Cluster;
using Baton.Chaos.Faults;
using Baton.Chaos.Workload;

namespace Baton.Chaos;

/// <summary>What a chaos run did and what the checker found.</summary>
public sealed record ChaosResult(ChaosOptions Options, int Requests, double ChaosSeconds, double DrainSeconds, double RunsPerSecond,
    IReadOnlyList<Fault> Faults, CheckReport Check);

/// <summary>
/// One chaos run: its own PostgreSQL, the replicas behind the front, the agents; the client's requests
/// queued while the faults are made; the chaos lasting until the work is done and each kind of fault has
/// happened; then a wait for every run to become final (at most <see cref="ChaosOptions.StuckAfter"/>),
/// and the checker over the stored history.
/// </summary>
public static class ChaosRun
{
    private const string Project = "chaos";
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    public static async Task<ChaosResult> RunAsync(ChaosOptions options, string batonDll, string workDirectory, TextWriter progress,
        CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(workDirectory);
        await using var postgres = await PostgresCluster.StartAsync(Ports.Free(), cancellationToken);
        using var replicas = new Replicas(batonDll, postgres.ConnectionString, options.Replicas, workDirectory);
        await replicas.StartAllAsync(cancellationToken);
        await using var front = await Front.StartAsync($"http://127.0.0.1:{Ports.Free().ToString(CultureInfo.InvariantCulture)}", replicas.Urls);
        using var client = new ChaosClient(ChaosClient.Api(front.Url, Replicas.AdminToken), Project);
        await client.CreateProjectAsync(Agents.Label, cancellationToken);
        using var agents = new Agents(batonDll, front.Url, await client.AgentTokenAsync(cancellationToken), options.Capacity, workDirectory);
        agents.Start(options.Agents);
        await using var store = new StoreProbe(postgres.ConnectionString);
        progress.WriteLine($"chaos: PostgreSQL, {options.Replicas} replicas behind {front.Url}, {options.Agents} agents up; queueing {options.Runs} runs");

        var log = new FaultLog();
        using var chaos = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var maker = new FaultMaker(options, postgres, replicas, agents, store, log);
        var faults = maker.RunAsync(chaos.Token);
        var kinds = ChaosClient.Mix(options.Runs);
        var requests = await client.SendAllAsync(kinds, options.Senders, cancellationToken);
        progress.WriteLine($"chaos: {requests.Count} requests sent at {log.Now:F0} s; waiting for the work to drain and every kind of fault to happen");
        await Poll.UntilAsync(async () => await store.UnfinishedAsync(cancellationToken) == 0 && EveryFaultHappened(options, log),
            options.ChaosLimit - TimeSpan.FromSeconds(log.Now), Interval, cancellationToken);
        await chaos.CancelAsync();
        await faults;
        var chaosSeconds = log.Now;
        progress.WriteLine($"chaos: ended at {chaosSeconds:F0} s after {log.Faults.Count} faults; waiting up to {options.StuckAfter.TotalSeconds} s for every run to be final");
        await Poll.UntilAsync(async () => await store.UnfinishedAsync(cancellationToken) == 0, options.StuckAfter, Interval, cancellationToken);
        var drained = log.Now;
        var check = HistoryChecker.Check(await HistoryReader.ReadAsync(postgres.ConnectionString, requests, cancellationToken));
        return new ChaosResult(options, requests.Count, chaosSeconds, drained - chaosSeconds, check.Runs / drained, log.Faults, check);
    }

    /// <summary>Faults of a kind with a set number must all have happened; the others at least once.</summary>
    private static bool EveryFaultHappened(ChaosOptions options, FaultLog log) =>
        options.Calm
        || log.Count(FaultKind.ReplicaKill) >= (options.ReplicaKills ?? 1)
        && log.Count(FaultKind.AgentKill) >= (options.AgentKills ?? 1)
        && log.Count(FaultKind.PostgresRestart) >= 1;
}
