using Baton.Contracts.Runs;
using Baton.Core.Runs;
using Baton.Persistence;
using Baton.Persistence.Storage;
using Baton.Server.Features.Logs;
using Baton.Server.Features.Runs;
using Baton.Server.Infrastructure.Auth;
using Baton.Server.Infrastructure.Signals;
using Baton.Server.Infrastructure.Telemetry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Baton.Server.Features.Agents;

/// <summary>
/// Marks runs whose lease expired as lost and requeues them for the next attempt, or fails them
/// when attempts are used up (DESIGN.md section 4, step 7). It sleeps until the earliest lease
/// could expire, and while nothing runs it waits for a lease to be granted: an idle system
/// costs it nothing. Each replica runs one; the conditional UPDATE on (run, epoch, running,
/// expired) lets exactly one of them act on a run. After a start it waits a grace period, so
/// agents that kept working while this server was down can renew before anything expires.
/// </summary>
internal sealed partial class LeaseReaper(IServiceScopeFactory scopes, RunSignals signals, JobTokenCache jobTokens, IOptions<RunOptions> options, TimeProvider clock,
    ILogger<LeaseReaper> logger) : BackgroundService
{
    private const int BatchSize = 100;
    private static readonly TimeSpan MinimumWait = TimeSpan.FromMilliseconds(100);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(options.Value.RestartGraceSeconds), clock, stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                var granted = signals.LeaseGranted;
                DateTimeOffset? next;
                try
                {
                    next = await ReapAsync(stoppingToken);
                }
                catch (Exception exception) when (exception is DbUpdateException or System.Data.Common.DbException or InvalidOperationException)
                {
                    LogReapFailed(exception);
                    next = clock.GetUtcNow() + options.Value.Lease;
                }
                var wait = next is { } due ? Max(due - clock.GetUtcNow(), MinimumWait) : Timeout.InfiniteTimeSpan;
                // With leases to watch, only the earliest expiry matters; with none, a newly granted lease wakes the reaper.
                await SignalWait.ForAsync(next is null ? granted : Task.Delay(Timeout.Infinite, CancellationToken.None), wait, clock, stoppingToken);
                stoppingToken.ThrowIfCancellationRequested();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    /// <summary>Handles every expired lease; answers when the earliest remaining one expires (null: nothing runs).</summary>
    internal async Task<DateTimeOffset?> ReapAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BatonDbContext>();
        var gate = scope.ServiceProvider.GetRequiredService<WriteGate>();
        while (true)
        {
            var now = clock.GetUtcNow();
            var expired = await db.Runs.AsNoTracking()
                .Where(r => r.Status == RunStatus.Running && r.LeaseExpiresAt < now)
                .OrderBy(r => r.LeaseExpiresAt).Take(BatchSize)
                .Select(r => new Expired(r.Id, r.LeaseEpoch, r.Attempt, r.MaxAttempts, r.CancelRequested,
                    db.Agents.Where(a => a.Id == r.AgentId).Select(a => a.Name).FirstOrDefault(), r.ProjectId, r.StartedAt))
                .ToListAsync(cancellationToken);
            foreach (var run in expired)
            {
                RunStatus? ended;
                using (await gate.EnterAsync(cancellationToken))
                {
                    ended = await ExpireAsync(db, run, now, cancellationToken);
                }
                if (ended is { } final)
                {
                    var metrics = scope.ServiceProvider.GetRequiredService<BatonMetrics>();
                    var keys = scope.ServiceProvider.GetRequiredService<ProjectKeys>();
                    metrics.RunFinished(await keys.KeyAsync(db, run.ProjectId, cancellationToken), final, now - run.StartedAt);
                }
            }
            if (expired.Count < BatchSize)
            {
                return await db.Runs.Where(r => r.Status == RunStatus.Running).MinAsync(r => r.LeaseExpiresAt, cancellationToken);
            }
        }
    }

    /// <returns>The run's final status when the expiry ended it (no attempts left, or cancelled); null when requeued or not changed.</returns>
    private async Task<RunStatus?> ExpireAsync(BatonDbContext db, Expired run, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var runEvent = RunStateMachine.AfterLost(run.Attempt, run.MaxAttempts, run.CancelRequested);
        RunStateMachine.TryApply(RunStatus.Lost, runEvent, out var next);
        var requeued = next == RunStatus.Queued;
        var agent = run.Agent ?? "its agent";
        var reason = runEvent switch
        {
            RunEvent.Requeue => $"lease expired on {agent} during attempt {run.Attempt} of {run.MaxAttempts}; requeued as attempt {run.Attempt + 1}",
            RunEvent.Cancel => $"lease expired on {agent} after cancellation was requested; cancelled",
            _ => $"lease expired on {agent} during attempt {run.Attempt} of {run.MaxAttempts}; no attempts left",
        };
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var changed = await db.Runs
            .Where(r => r.Id == run.Id && r.LeaseEpoch == run.Epoch && r.Status == RunStatus.Running && r.LeaseExpiresAt < now)
            .ExecuteUpdateAsync(set => set
                .SetProperty(r => r.Status, next)
                .SetProperty(r => r.StatusReason, reason)
                .SetProperty(r => r.Attempt, r => requeued ? r.Attempt + 1 : r.Attempt)
                .SetProperty(r => r.AgentId, r => requeued ? null : r.AgentId)
                .SetProperty(r => r.LeaseExpiresAt, (DateTimeOffset?)null)
                .SetProperty(r => r.QueuedAt, r => requeued ? now : r.QueuedAt)
                .SetProperty(r => r.FinishedAt, r => requeued ? null : now)
                .SetProperty(r => r.LogLines, r => r.LogLines + 1), cancellationToken);
        if (changed == 0)
        {
            // Renewed, completed or reaped by another replica since we looked.
            return null;
        }
        // The log says why, as its next line: the next attempt's lines follow it without a gap. Its number is read back under
        // the row lock the update took, not taken from the read above: the old holder may have stored a batch in between (its
        // lease had expired, but the run was still its own), and that number would be one of the batch's lines.
        var line = await db.Runs.Where(r => r.Id == run.Id).Select(r => r.LogLines).SingleAsync(cancellationToken);
        db.LogChunks.Add(LogLines.System(run.Id, line, reason, now));
        await db.SaveChangesAsync(cancellationToken);
        if (requeued)
        {
            await db.RunSteps.Where(s => s.RunId == run.Id).ExecuteUpdateAsync(set => set
                .SetProperty(s => s.Status, StepStatus.Pending)
                .SetProperty(s => s.Attempt, 0)
                .SetProperty(s => s.ExitCode, (int?)null)
                .SetProperty(s => s.StartedAt, (DateTimeOffset?)null)
                .SetProperty(s => s.FinishedAt, (DateTimeOffset?)null), cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        jobTokens.Forget(run.Id);
        LogExpired(run.Id, reason);
        signals.PulseRun(run.Id);
        signals.PulseLogsStored();
        if (requeued)
        {
            signals.PulseClaimable();
        }
        else
        {
            signals.PulseScheduler();
        }
        return requeued ? null : next;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private sealed record Expired(long Id, long Epoch, int Attempt, int MaxAttempts, bool CancelRequested, string? Agent,
        long ProjectId, DateTimeOffset? StartedAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId}: {Reason}")]
    private partial void LogExpired(long runId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reaping expired leases failed; trying again after one lease period")]
    private partial void LogReapFailed(Exception exception);
}
