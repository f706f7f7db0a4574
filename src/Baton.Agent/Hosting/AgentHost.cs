using System.Reflection;
using Baton.Agent.Client;
using Baton.Contracts.Agents;
using Microsoft.Extensions.Logging;

namespace Baton.Agent.Hosting;

/// <summary>
/// An agent: registers, then long-polls for runs while it has free slots and runs each claimed
/// run in its own <see cref="RunSession"/>. On stop it claims no more, tells the server it is
/// draining, lets running runs finish for <see cref="AgentOptions.DrainGrace"/>, then cancels
/// them and waits until each reported its end. Reusable in-process (`baton up` starts several).
/// </summary>
public sealed class AgentHost(AgentOptions options, HttpClient http, ILoggerFactory loggerFactory, TimeProvider clock)
{
    /// <summary>Empty polls are no closer than this: a server that answers at once must not become a busy loop.</summary>
    private static readonly TimeSpan MinPollSpacing = TimeSpan.FromSeconds(1);
    private readonly AgentClient _client = new(http, options.Server, options.Token);
    private readonly ILogger _logger = loggerFactory.CreateLogger<AgentHost>();
    // Retried with exponential backoff and jitter until answered (Retries.cs); the log says when the server went and came back.
    private readonly UntilAnswered _register = new("register", clock, loggerFactory.CreateLogger<AgentHost>());
    private readonly UntilAnswered _claim = new("claim", clock, loggerFactory.CreateLogger<AgentHost>());
    private readonly List<Task> _sessions = [];
    private readonly Lock _sessionsGate = new();
    // The id this agent works under (a new one when the server made it register again); 0 before it registered.
    private long _agentId;
    private volatile bool _stopping;

    /// <summary>An HTTP client fit for long polls: no client-wide timeout (each call sets its own), fresh DNS now and then.</summary>
    public static HttpClient CreateHttpClient() =>
        new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = Timeout.InfiniteTimeSpan };

    /// <summary>Runs until <paramref name="stop"/> fires and every running run has ended; never throws for the server's failures.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        var agent = await RegisterAsync(stop);
        if (agent is null)
        {
            return;
        }
        using var slots = new SemaphoreSlim(options.Capacity);
        using var abort = new CancellationTokenSource();
        using var stopping = stop.Register(() => _stopping = true);
        try
        {
            await ClaimLoopAsync(agent, slots, abort.Token, stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopping: an open long poll was abandoned. A run the server handed out at that very moment
            // stays leased to no one who renews it, and the reaper requeues it after the lease expires.
        }
        await DrainAsync(agent, slots, abort);
    }

    private async Task<RegisterAgentResponse?> RegisterAsync(CancellationToken stop)
    {
        var request = new RegisterAgentRequest(options.Name, options.Labels, options.Capacity, Version());
        try
        {
            var agent = await _register.CallAsync(token => _client.RegisterAsync(request, token), stop);
            Volatile.Write(ref _agentId, agent.AgentId);
            _logger.Registered(agent.AgentId, options.Name, options.Server, options.Capacity);
            return agent;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>One pass: wait for a free slot, then one long poll. A claimed run takes the slot until its session ends.</summary>
    private async Task ClaimLoopAsync(RegisterAgentResponse agent, SemaphoreSlim slots, CancellationToken abort,
        CancellationToken stop)
    {
        while (true)
        {
            await slots.WaitAsync(stop);
            var started = 0L;
            ClaimedRun? run;
            try
            {
                // The slot stays taken while the claim is retried: nothing else takes slots meanwhile, and the next
                // claim needs one anyway.
                run = await _claim.CallAsync(token =>
                {
                    started = clock.GetTimestamp();
                    return _client.ClaimAsync(agent.AgentId, new ClaimRequest(agent.ClaimWaitSeconds), token);
                }, stop);
            }
            catch (AgentNotRegisteredException)
            {
                // The server lost this agent (a new database): register again and claim under the new id.
                slots.Release();
                agent = await RegisterAsync(stop) ?? agent;
                continue;
            }
            catch
            {
                slots.Release();
                throw;
            }
            if (run is null)
            {
                slots.Release();
                var early = MinPollSpacing - clock.GetElapsedTime(started);
                if (early > TimeSpan.Zero)
                {
                    await Task.Delay(early, clock, stop);
                }
                continue;
            }
            Start(run, slots, abort);
        }
    }

    /// <summary>
    /// Runs <paramref name="run"/> in a slot, then whatever run each completion's answer hands over (eager dispatch), until
    /// one answer brings none: only then is the slot freed for the claim loop.
    /// </summary>
    private void Start(ClaimedRun run, SemaphoreSlim slots, CancellationToken abort)
    {
        var task = Task.Run(async () =>
        {
            ClaimedRun? current = run;
            try
            {
                while (current is not null)
                {
                    // Every entry about the run names it and its trace (in JSON logs, as fields).
                    using var scope = _logger.BeginScope(new Dictionary<string, object?> { ["RunId"] = current.RunId, ["TraceId"] = current.Trace?.TraceId });
                    _logger.Claimed(current.RunId, current.Epoch, current.Attempt, current.Project, current.WorkItem);
                    var session = new RunSession(current, _client, options, clock, _logger, ClaimFor);
                    var outcome = await session.RunAsync(abort);
                    if (outcome.Reported)
                    {
                        _logger.Finished(current.RunId, outcome.Result);
                    }
                    else
                    {
                        _logger.Abandoned(current.RunId, outcome.Reason);
                    }
                    // A run handed over while stopping is still leased to this agent: it is run, as a late claim would be.
                    current = outcome.Next;
                }
            }
#pragma warning disable CA1031 // A session's own bug must not take the agent's other runs down; it is logged and its slot freed.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                _logger.SessionFault(exception, current?.RunId ?? run.RunId);
            }
            finally
            {
                slots.Release();
            }
        }, CancellationToken.None);
        lock (_sessionsGate)
        {
            _sessions.RemoveAll(t => t.IsCompleted);
            _sessions.Add(task);
        }
    }

    /// <summary>Whom a completion asks the next run for: this agent, until it stops taking work.</summary>
    private long? ClaimFor() => _stopping || Volatile.Read(ref _agentId) is not (> 0 and var id) ? null : id;

    private async Task DrainAsync(RegisterAgentResponse agent, SemaphoreSlim slots, CancellationTokenSource abort)
    {
        try
        {
            // Tells the server this agent takes no more work; a run handed out anyway is still run to its end.
            if (await _client.ClaimAsync(agent.AgentId, new ClaimRequest(0, Draining: true), CancellationToken.None) is { } late)
            {
                await slots.WaitAsync(CancellationToken.None);
                Start(late, slots, abort.Token);
            }
        }
        catch (AgentCallException)
        {
            // Best effort: the server learns of the shutdown from the leases anyway.
        }
        Task running;
        lock (_sessionsGate)
        {
            running = Task.WhenAll(_sessions);
        }
        var count = RunningCount();
        _logger.Draining(options.DrainGrace, count);
        if (await Task.WhenAny(running, Task.Delay(options.DrainGrace, clock)) != running)
        {
            count = RunningCount();
            _logger.DrainGracePassed(count);
            // Each session cancels its steps (SIGINT, SIGTERM, SIGKILL) and still reports the run cancelled.
            await abort.CancelAsync();
        }
        await running;
    }

    private int RunningCount()
    {
        lock (_sessionsGate)
        {
            return _sessions.Count(t => !t.IsCompleted);
        }
    }

    private static string Version() =>
        typeof(AgentHost).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
}
