using System.Collections.Concurrent;
using System.Threading.Channels;
using Baton.Contracts.Agents;
using Baton.Contracts.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Baton.Agent.Tests.Hosting;

/// <summary>
/// The server's side of the agent protocol, in memory, over real HTTP (Kestrel on a free port):
/// register, long-poll claim, held lease with early cancel, logs by seq, steps, complete. Every
/// write about a run is recorded in arrival order, so tests can assert what came before what.
/// </summary>
public sealed class FakeAgentServer : IAsyncDisposable
{
    public const string Token = "agent-secret";
    private readonly Channel<ClaimedRun> _queue = Channel.CreateUnbounded<ClaimedRun>();
    private readonly WebApplication _app;
    private int _active;
    private int _maxActive;
    private int _logsRefusedWhileDown;

    private FakeAgentServer(WebApplication app) => _app = app;

    public Uri Url => new(_app.Urls.First());
    public int LeaseSeconds { get; init; } = 5;
    public int RenewSeconds { get; init; } = 1;
    public int ClaimWaitSeconds { get; init; } = 1;
    public ConcurrentDictionary<long, FakeRun> Runs { get; } = new();
    public ConcurrentQueue<ClaimRequest> Claims { get; } = new();
    public ConcurrentQueue<RegisterAgentRequest> Registrations { get; } = new();
    /// <summary>When set, the next claim answers 404, as a server whose database lost the agent does.</summary>
    public bool ForgetAgentOnce { get; set; }
    /// <summary>
    /// While set, the server is a proxy in front of a dead replica: every call is answered with this status (502, 503, 504)
    /// and nothing is stored.
    /// </summary>
    public int? DownWith { get; set; }
    /// <summary>Log batches answered with <see cref="DownWith"/>.</summary>
    public int LogsRefusedWhileDown => Volatile.Read(ref _logsRefusedWhileDown);
    /// <summary>Runs handed over in a completion's answer.</summary>
    public int EagerClaims { get; private set; }
    /// <summary>Runs claimed and not yet completed.</summary>
    public int Active => Volatile.Read(ref _active);
    /// <summary>The most runs claimed and not yet completed at any one time.</summary>
    public int MaxActive => Volatile.Read(ref _maxActive);

    public static async Task<FakeAgentServer> StartAsync(Func<FakeAgentServer, FakeAgentServer>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.ConfigureHttpJsonOptions(json => BatonJson.Configure(json.SerializerOptions));
        var server = new FakeAgentServer(builder.Build());
        server = configure?.Invoke(server) ?? server;
        server.Map();
        await server._app.StartAsync();
        return server;
    }

    /// <summary>Queues a run; a waiting claim takes it at once.</summary>
    public FakeRun Queue(ClaimedRun run, bool rejectLogs = false, bool failLogs = false, bool failSteps = false)
    {
        ArgumentNullException.ThrowIfNull(run);
        var state = Runs.GetOrAdd(run.RunId, _ => new FakeRun(run) { RejectLogs = rejectLogs, FailLogs = failLogs, FailSteps = failSteps });
        _queue.Writer.TryWrite(run);
        return state;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private void Map()
    {
        _app.Use(async (context, next) =>
        {
            if (context.Request.Headers.Authorization != $"Bearer {Token}")
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }
            if (DownWith is { } status)
            {
                if (context.Request.Path.Value?.EndsWith("/logs", StringComparison.Ordinal) == true)
                {
                    Interlocked.Increment(ref _logsRefusedWhileDown);
                }
                context.Response.StatusCode = status;
                return;
            }
            await next(context);
        });
        _app.MapPost("/api/agents/register", (RegisterAgentRequest request) =>
        {
            Registrations.Enqueue(request);
            return Results.Ok(new RegisterAgentResponse(1, LeaseSeconds, RenewSeconds, ClaimWaitSeconds));
        });
        _app.MapPost("/api/agents/{id:long}/claim", ClaimAsync);
        _app.MapPost("/api/runs/{id:long}/lease", LeaseAsync);
        _app.MapPost("/api/runs/{id:long}/logs", (long id, LogBatch batch) => Runs[id].Logs(batch));
        _app.MapPut("/api/runs/{id:long}/steps", (long id, StepsUpdate update) => Runs[id].Steps(update));
        _app.MapPost("/api/runs/{id:long}/complete", (long id, CompleteRequest request) =>
            Runs[id].Complete(request, () => Interlocked.Decrement(ref _active), () => request.ClaimFor is null ? null : TryClaim()));
    }

    private async Task<IResult> ClaimAsync(ClaimRequest request, CancellationToken aborted)
    {
        Claims.Enqueue(request);
        if (ForgetAgentOnce)
        {
            ForgetAgentOnce = false;
            return Results.NotFound();
        }
        if (request.Draining)
        {
            return Results.NoContent();
        }
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        wait.CancelAfter(TimeSpan.FromSeconds(request.WaitSeconds ?? 0));
        try
        {
            while (await _queue.Reader.WaitToReadAsync(wait.Token))
            {
                if (_queue.Reader.TryRead(out var run))
                {
                    var active = Interlocked.Increment(ref _active);
                    InterlockedMax(ref _maxActive, active);
                    return Results.Ok(run);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Nothing queued within the wait (or the agent hung up).
        }
        return Results.NoContent();
    }

    /// <summary>A queued run for a completion that asked for the next one (eager dispatch), without waiting.</summary>
    private ClaimedRun? TryClaim()
    {
        if (!_queue.Reader.TryRead(out var run))
        {
            return null;
        }
        InterlockedMax(ref _maxActive, Interlocked.Increment(ref _active));
        EagerClaims++;
        return run;
    }

    private async Task<IResult> LeaseAsync(long id, LeaseRequest request, CancellationToken aborted)
    {
        var run = Runs[id];
        if (request.Epoch != run.Claimed.Epoch || run.LeaseRevoked)
        {
            return Results.Conflict();
        }
        // Renewed at once; then held until the wait ends or the run is cancelled.
        await Task.WhenAny(run.Cancelled.Task, Task.Delay(TimeSpan.FromSeconds(request.WaitSeconds ?? 0), aborted));
        return Results.Ok(new LeaseResponse(run.Cancelled.Task.IsCompleted, DateTimeOffset.UnixEpoch));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}

/// <summary>One run as the fake server sees it: what arrived, in order, and how to misbehave.</summary>
public sealed class FakeRun(ClaimedRun claimed)
{
    private readonly Lock _gate = new();
    private readonly List<string> _events = [];
    private readonly SortedDictionary<long, LogBatch> _batches = [];
    private readonly List<(int Index, StepUpdate Update)> _steps = [];
    private readonly List<int> _stepCalls = [];
    public ClaimedRun Claimed { get; } = claimed;
    public TaskCompletionSource Cancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public bool LeaseRevoked { get; set; }
    /// <summary>Answer every log batch with 409, as if another agent now held the run.</summary>
    public bool RejectLogs { get; set; }
    /// <summary>Answer every log batch with 500, as a server that cannot store it would.</summary>
    public bool FailLogs { get; set; }
    /// <summary>Answer every step update with 500 (a completion's step states are still stored).</summary>
    public bool FailSteps { get; set; }
    public CompleteRequest? Completed { get; private set; }

    public IReadOnlyList<string> Events => Read(() => _events.ToList());
    public IReadOnlyList<LogBatchLine> Lines => Read(() => _batches.Values.SelectMany(b => b.Lines).ToList());
    public IReadOnlyList<(int Index, StepUpdate Update)> StepUpdates => Read(() => _steps.ToList());
    /// <summary>How many step states each stored steps call carried, in order.</summary>
    public IReadOnlyList<int> StepCalls => Read(() => _stepCalls.ToList());

    public void Cancel() => Cancelled.TrySetResult();

    internal IResult Logs(LogBatch batch) => FailLogs ? Results.StatusCode(StatusCodes.Status500InternalServerError) : Answer(Store(batch.Epoch, RejectLogs, () =>
    {
        // Stored once per seq, like the real server: a retried batch is harmless.
        if (_batches.TryAdd(batch.Seq, batch))
        {
            _events.Add($"logs {batch.Seq}");
        }
    }));

    internal IResult Steps(StepsUpdate update) => FailSteps ? Results.StatusCode(StatusCodes.Status500InternalServerError) : Answer(Store(update.Epoch, false, () =>
    {
        _stepCalls.Add(update.Steps.Count);
        Record(update.Epoch, update.Steps);
    }));

    /// <summary>The end, with the step states it carries (recorded as step events before it); a repeat changes nothing.</summary>
    internal IResult Complete(CompleteRequest request, Action first, Func<ClaimedRun?> next)
    {
        var stored = Store(request.Epoch, false, () =>
        {
            if (Completed is null)
            {
                Record(request.Epoch, request.Steps ?? []);
                _events.Add($"complete {request.Result}");
                first();
            }
            Completed = request;
        });
        return stored ? Results.Ok(new CompleteResponse(Claimed.RunId, request.Result, next())) : Results.Conflict();
    }

    /// <summary>Step states as they arrived, from a steps call or a completion; called under the lock.</summary>
    private void Record(long epoch, IReadOnlyList<StepState> steps)
    {
        foreach (var step in steps)
        {
            _steps.Add((step.Index, new StepUpdate(epoch, step.Status, step.Attempt, step.ExitCode, step.StartedAt, step.FinishedAt, step.SpanId)));
            _events.Add($"step {step.Index} {step.Status}");
        }
    }

    private static IResult Answer(bool stored) => stored ? Results.Ok() : Results.Conflict();

    /// <summary>Stores under the lock while the epoch holds the run; false (and a "409" event) when it does not.</summary>
    private bool Store(long epoch, bool reject, Action store)
    {
        lock (_gate)
        {
            if (reject || epoch != Claimed.Epoch || LeaseRevoked)
            {
                _events.Add("409");
                return false;
            }
            store();
            return true;
        }
    }

    private T Read<T>(Func<T> read)
    {
        lock (_gate)
        {
            return read();
        }
    }
}
