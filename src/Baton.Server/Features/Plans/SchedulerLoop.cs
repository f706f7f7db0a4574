using Baton.Server.Infrastructure.Signals;

namespace Baton.Server.Features.Plans;

/// <summary>
/// Runs <see cref="Scheduler"/> passes continuously, woken by events (a run ended, a plan was
/// made; on PostgreSQL also by other replicas) and by the next due time: an idle system costs it
/// nothing. Every replica runs one; passes are safe to overlap (see Scheduler).
/// </summary>
internal sealed partial class SchedulerLoop(IServiceScopeFactory scopes, RunSignals signals, TimeProvider clock, ILogger<SchedulerLoop> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var work = signals.SchedulerWork;
                DateTimeOffset? next = null;
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    var report = await scope.ServiceProvider.GetRequiredService<Scheduler>().TickAsync(stoppingToken);
                    next = report.NextDueAt;
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    // A database outage must not end the loop; the next event or a minute later it tries again.
                    LogTickFailed(exception);
                    next = clock.GetUtcNow().AddMinutes(1);
                }
                // Clamped before the infinite marker is chosen: a due time exactly 1 ms past is not "forever".
                var wait = next is { } due ? TimeSpan.FromTicks(Math.Max((due - clock.GetUtcNow()).Ticks, 0)) : Timeout.InfiniteTimeSpan;
                await SignalWait.ForAsync(work, wait, clock, stoppingToken);
                stoppingToken.ThrowIfCancellationRequested();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A scheduler pass failed; trying again at the next event or in a minute")]
    private partial void LogTickFailed(Exception exception);
}
