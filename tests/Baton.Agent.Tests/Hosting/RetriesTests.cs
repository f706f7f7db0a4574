using System.Collections.Concurrent;
using Baton.Agent.Client;
using Baton.Agent.Hosting;
using Baton.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Baton.Agent.Tests.Hosting;

/// <summary>The register and claim retries, on a fake clock: no test waits out a real backoff.</summary>
public sealed class RetriesTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task UntilAnswered_BacksOffOnTheAgentsClock_UpToTheMax_AndLogsOnlyTheFirstFailureAndTheRecovery()
    {
        const int failures = 10;
        var clock = new TimerCountingClock();
        var logger = new ListLogger();
        var attempts = 0;
        var retry = new UntilAnswered("claim", clock, logger);

        var call = retry.CallAsync(_ => Interlocked.Increment(ref attempts) <= failures
            ? Task.FromException<string>(new AgentCallException("claim: POST /api/agents/1/claim answered 502 BadGateway"))
            : Task.FromResult("answered"), CancellationToken.None);

        var started = clock.GetUtcNow();
        for (var attempt = 1; attempt <= failures; attempt++)
        {
            Assert.Equal(attempt, Volatile.Read(ref attempts));
            // The attempt is counted before its failure reaches the backoff: moving the clock before the
            // backoff's timer exists would move nothing, and that timer would then wait from the new time.
            await Eventually.TrueAsync(() => Task.FromResult(clock.Timers >= attempt), Deadline, $"the backoff after attempt {attempt}");
            if (attempt == failures)
            {
                // By now the doubling delay is capped: nothing happens short of the max.
                clock.Advance(Retries.MaxBackoff - TimeSpan.FromMilliseconds(100));
                Assert.Equal(attempt, Volatile.Read(ref attempts));
            }
            // No delay is longer than the max, whatever its jitter.
            clock.Advance(Retries.MaxBackoff);
            var next = attempt + 1;
            await Eventually.TrueAsync(() => Task.FromResult(Volatile.Read(ref attempts) == next), Deadline, $"attempt {next}");
        }

        Assert.Equal("answered", await call.WaitAsync(Deadline));
        Assert.Equal([(LogLevel.Warning, "Cannot reach the server (claim); retrying with backoff: claim: POST /api/agents/1/claim answered 502 BadGateway"),
            (LogLevel.Information, "The server answers again (claim)")], logger.Entries);
        Assert.True(clock.GetUtcNow() - started >= TimeSpan.FromSeconds(failures * 5), "the fake clock drove every wait");
    }

    [Fact]
    public async Task UntilAnswered_EndsWithTheStopToken_WhileBackingOff()
    {
        var clock = new FakeTimeProvider();
        using var stop = new CancellationTokenSource();
        var retry = new UntilAnswered("register", clock, new ListLogger());
        var call = retry.CallAsync<string>(_ => throw new AgentCallException("register: no answer"), stop.Token);

        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(Deadline));
    }

    /// <summary>A fake clock that counts the timers made on it (a backoff is one).</summary>
    private sealed class TimerCountingClock : FakeTimeProvider
    {
        private int _timers;

        public int Timers => Volatile.Read(ref _timers);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            Interlocked.Increment(ref _timers);
            return base.CreateTimer(callback, state, dueTime, period);
        }
    }

    private sealed class ListLogger : ILogger
    {
        private readonly ConcurrentQueue<(LogLevel Level, string Message)> _entries = new();

        public IReadOnlyList<(LogLevel Level, string Message)> Entries => [.. _entries];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            _entries.Enqueue((logLevel, formatter(state, exception)));
    }
}
