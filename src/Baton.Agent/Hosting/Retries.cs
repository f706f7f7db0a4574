using System.Diagnostics.CodeAnalysis;
using Baton.Agent.Client;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace Baton.Agent.Hosting;

/// <summary>
/// How the agent asks a server that did not answer (or answered "later": 5xx, 425, a proxy's 502-504) again, on Polly.
/// Every policy retries until the caller's token fires, jitters its delays so that many agents (or many runs) coming
/// back from the same outage do not hit the recovering replica at once, and waits on the agent's TimeProvider.
/// </summary>
internal static class Retries
{
    /// <summary>Register and claim: the first retry after about a second, doubling up to about 30 s.</summary>
    public static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    /// <summary>Writes about a running run (lease, step, completion) retry every second, give or take a quarter.</summary>
    public static readonly TimeSpan WriteDelay = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Retries while <paramref name="failed"/> says the answer was "not this time", every <see cref="WriteDelay"/> give or take a
    /// quarter: writes about a running run retry at a steady pace, since the run goes on meanwhile and a late write costs a viewer.
    /// </summary>
    public static ResiliencePipeline<T> WhileFailed<T>(TimeProvider clock, Func<T, bool> failed) =>
        WhileAnswered(clock, failed, DelayBackoffType.Constant, WriteDelay, maxDelay: null);

    /// <summary>Retries while <paramref name="failed"/> says so, from <paramref name="first"/> doubling (with jitter) up to <paramref name="max"/>.</summary>
    public static ResiliencePipeline<T> BackingOffWhile<T>(TimeProvider clock, TimeSpan first, TimeSpan max, Func<T, bool> failed) =>
        WhileAnswered(clock, failed, DelayBackoffType.Exponential, first, max);

    /// <summary>A retry on the call's answer (an exception passes through), jittered, on the agent's clock, until the token fires.</summary>
    /// <remarks>
    /// Polly's typed AddRetry asks the trimmer to keep every member of <typeparamref name="T"/> because it validates its options
    /// with data annotations, which read the members of <see cref="RetryStrategyOptions{T}"/> (set right here), never those of
    /// the answer type. Keeping all of an enum's members (WriteResult, LogDelivery) would keep <see cref="Enum.GetValues(Type)"/>
    /// too, which native code cannot run, so the request is declined here rather than passed on to every caller.
    /// </remarks>
    [UnconditionalSuppressMessage("Trimming", "IL2091", Justification = "Polly reflects over its options, not over the answer type.")]
    private static ResiliencePipeline<T> WhileAnswered<T>(TimeProvider clock, Func<T, bool> failed, DelayBackoffType backoff, TimeSpan delay,
        TimeSpan? maxDelay) =>
        new ResiliencePipelineBuilder<T> { TimeProvider = clock }.AddRetry(new RetryStrategyOptions<T>
        {
            ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is null && failed(args.Outcome.Result!)),
            BackoffType = backoff,
            Delay = delay,
            MaxDelay = maxDelay,
            UseJitter = true,
            MaxRetryAttempts = int.MaxValue,
        }).Build();
}

/// <summary>
/// A call the agent cannot do without (register, claim): retried on <see cref="AgentCallException"/> with exponential backoff
/// and jitter until it is answered or the caller's token fires. The first failure of a streak is logged, its retries are not,
/// and the recovery is (STYLE.md, loops).
/// </summary>
internal sealed class UntilAnswered
{
    private static readonly ResiliencePropertyKey<bool> Failed = new("baton.agent.failed");
    private readonly ResiliencePipeline _pipeline;
    private readonly ILogger _logger;
    private readonly string _call;

    /// <param name="call">Names the call in the log ("register", "claim").</param>
    public UntilAnswered(string call, TimeProvider clock, ILogger logger)
    {
        _call = call;
        _logger = logger;
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = clock }.AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<AgentCallException>(),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = Retries.FirstBackoff,
            MaxDelay = Retries.MaxBackoff,
            MaxRetryAttempts = int.MaxValue,
            OnRetry = args =>
            {
                if (args.AttemptNumber == 0)
                {
                    _logger.ServerUnreachable(_call, args.Outcome.Exception?.Message ?? "no answer");
                    args.Context.Properties.Set(Failed, true);
                }
                return ValueTask.CompletedTask;
            },
        }).Build();
    }

    /// <summary>The answer of <paramref name="send"/>, once it gives one; other exceptions (and the token's) pass through.</summary>
    public async Task<T> CallAsync<T>(Func<CancellationToken, Task<T>> send, CancellationToken stop)
    {
        var context = ResilienceContextPool.Shared.Get(stop);
        try
        {
            return await _pipeline.ExecuteAsync(static async (context, send) => await send(context.CancellationToken), context, send);
        }
        finally
        {
            // Any end but the token's is an answer (AgentNotRegisteredException too): the streak of failures is over.
            if (!stop.IsCancellationRequested && context.Properties.TryGetValue(Failed, out _))
            {
                _logger.ServerReachable(_call);
            }
            ResilienceContextPool.Shared.Return(context);
        }
    }
}
