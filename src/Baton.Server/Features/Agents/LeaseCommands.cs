using Baton.Contracts.Agents;
using Baton.Contracts.Runs;
using Baton.Core.Runs;
using Baton.Persistence;
using Baton.Persistence.Storage;
using Baton.Server.Features.Runs;
using Baton.Server.Infrastructure.Auth;
using Baton.Server.Infrastructure.Errors;
using Baton.Server.Infrastructure.Signals;
using Baton.Server.Infrastructure.Telemetry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Baton.Server.Features.Agents;

/// <summary>
/// An agent's writes about a run it holds: lease renewal, step states, completion. Every one
/// is a conditional UPDATE on (run, epoch, status running): the epoch is the fencing token, so
/// an agent whose lease moved on (a zombie that slept through its lease) changes nothing and
/// gets 409. Each is idempotent, so agents can retry freely.
/// </summary>
public sealed class LeaseCommands(BatonDbContext db, Plans.Scheduler scheduler, RunSignals signals, WriteGate gate, BatonMetrics metrics,
    JobTokenCache jobTokens, IOptions<RunOptions> options, TimeProvider clock)
{
    /// <summary>Renews the lease, then waits up to <paramref name="wait"/> for the run to be cancelled.</summary>
    public async Task<Outcome<LeaseResponse>> RenewAsync(long runId, LeaseRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var settings = options.Value;
        var changed = signals.RunChanged(runId);
        var expires = clock.GetUtcNow() + settings.Lease;
        // An agent opens its first lease poll the moment it is handed a run: a lease granted or renewed
        // less than half a renew interval ago needs no write, and the claim path stays free of one.
        var fresh = expires - TimeSpan.FromSeconds(settings.RenewSeconds / 2.0);
        var current = await db.Runs.AsNoTracking().Where(r => r.Id == runId && r.LeaseEpoch == request.Epoch && r.Status == RunStatus.Running)
            .Select(r => r.LeaseExpiresAt).SingleOrDefaultAsync(cancellationToken);
        if (current is { } held && held >= fresh)
        {
            expires = held;
        }
        else
        {
            using var entered = await gate.EnterAsync(cancellationToken);
            var renewed = await Held(runId, request.Epoch)
                .ExecuteUpdateAsync(set => set.SetProperty(r => r.LeaseExpiresAt, expires), cancellationToken);
            if (renewed == 0)
            {
                return await StaleAsync(runId, request.Epoch, cancellationToken);
            }
            var agentId = await db.Runs.Where(r => r.Id == runId).Select(r => r.AgentId).SingleAsync(cancellationToken);
            var now = clock.GetUtcNow();
            await db.Agents.Where(a => a.Id == agentId).ExecuteUpdateAsync(set => set.SetProperty(a => a.LastSeenAt, now), cancellationToken);
        }
        var deadline = clock.GetUtcNow() + TimeSpan.FromSeconds(Math.Clamp(request.WaitSeconds ?? 0, 0, settings.RenewSeconds));
        while (true)
        {
            var state = await db.Runs.AsNoTracking().Where(r => r.Id == runId)
                .Select(r => new { r.CancelRequested, r.LeaseEpoch, r.Status }).SingleAsync(cancellationToken);
            if (state.LeaseEpoch != request.Epoch || state.Status != RunStatus.Running)
            {
                return await StaleAsync(runId, request.Epoch, cancellationToken);
            }
            var left = deadline - clock.GetUtcNow();
            if (state.CancelRequested || left <= TimeSpan.Zero)
            {
                return new LeaseResponse(state.CancelRequested, expires);
            }
            await SignalWait.ForAsync(changed, left, clock, cancellationToken);
            cancellationToken.ThrowIfCancellationRequested();
            changed = signals.RunChanged(runId);
        }
    }

    /// <summary>One step's state: the call agents made before <see cref="UpdateStepsAsync"/>, kept for them.</summary>
    public async Task<Outcome<bool>> UpdateStepAsync(long runId, int index, StepUpdate update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        var errors = new FieldErrors();
        CheckStep(errors, "", update.Status, update.Attempt, update.SpanId);
        if (errors.Any)
        {
            return errors.ToFailure();
        }
        using (await gate.EnterAsync(cancellationToken))
        {
            var state = new StepState(index, update.Status, update.Attempt, update.ExitCode, update.StartedAt, update.FinishedAt, update.SpanId);
            if (await StoreHeldStepAsync(runId, update.Epoch, state, cancellationToken) == 0)
            {
                if (await db.Runs.AnyAsync(r => r.Id == runId, cancellationToken)
                    && !await db.RunSteps.AnyAsync(s => s.RunId == runId && s.Index == index, cancellationToken))
                {
                    return Failure.NotFound($"run {runId} has no step {index}");
                }
                return await StaleAsync(runId, update.Epoch, cancellationToken);
            }
        }
        signals.PulseRun(runId);
        metrics.StepFinished(update.Status, update.StartedAt, update.FinishedAt);
        return true;
    }

    /// <summary>
    /// Stores several steps' states in one transaction, each only while the epoch holds the run: a stale epoch (409) or a
    /// step the run does not have (422 on its <c>steps[i].index</c>) undoes them all.
    /// </summary>
    public async Task<Outcome<bool>> UpdateStepsAsync(long runId, StepsUpdate update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        var steps = update.Steps ?? [];
        var errors = new FieldErrors();
        if (steps.Count == 0)
        {
            errors.Add("steps", "at least one step state");
        }
        CheckSteps(errors, steps);
        if (errors.Any)
        {
            return errors.ToFailure();
        }
        using (await gate.EnterAsync(cancellationToken))
        {
            // One commit for the whole window's changes, where a call per step was a commit per step.
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            for (var i = 0; i < steps.Count; i++)
            {
                if (await StoreHeldStepAsync(runId, update.Epoch, steps[i], cancellationToken) == 0)
                {
                    await transaction.RollbackAsync(cancellationToken);
                    return await Held(runId, update.Epoch).AnyAsync(cancellationToken)
                        ? Failure.Unprocessable($"steps[{i}].index", $"run {runId} has no step {steps[i].Index}")
                        : await StaleAsync(runId, update.Epoch, cancellationToken);
                }
            }
            await transaction.CommitAsync(cancellationToken);
        }
        signals.PulseRun(runId);
        foreach (var step in steps)
        {
            metrics.StepFinished(step.Status, step.StartedAt, step.FinishedAt);
        }
        return true;
    }

    /// <summary>
    /// Ends the run with the agent's result and the step states it carries, in one transaction; then moves on what the
    /// run's end frees (its concurrency group, its plan). Repeating the same completion answers the same.
    /// </summary>
    public async Task<Outcome<RunStatus>> CompleteAsync(long runId, CompleteRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var steps = request.Steps ?? [];
        var errors = new FieldErrors();
        errors.Limit("reason", request.Reason, Persistence.Configurations.Limits.ReasonLength);
        CheckSpanId(errors, "spanId", request.SpanId);
        CheckSteps(errors, steps);
        if (errors.Any)
        {
            return errors.ToFailure();
        }
        var runEvent = request.Result switch
        {
            RunResult.Succeeded => RunEvent.Succeed,
            RunResult.Failed => RunEvent.Fail,
            RunResult.TimedOut => RunEvent.TimeOut,
            _ => RunEvent.Cancel,
        };
        RunStateMachine.TryApply(RunStatus.Running, runEvent, out var final);
        var now = clock.GetUtcNow();
        // Worked out here, not inside the update: EF compiles (and the JIT then compiles) a fresh delegate on every call to
        // evaluate any expression of captured values that is more than a plain member read.
        var cancelled = final == RunStatus.Cancelled;
        DateTimeOffset? noLease = null;
        Plans.RunEnd end;
        using (await gate.EnterAsync(cancellationToken))
        {
            // One transaction for the run, its steps and what its end moves on: on PostgreSQL each statement outside one would
            // be a commit of its own.
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var completed = await Held(runId, request.Epoch).ExecuteUpdateAsync(set => set
                .SetProperty(r => r.Status, final)
                .SetProperty(r => r.FinishedAt, now)
                .SetProperty(r => r.ExitCode, request.ExitCode)
                .SetProperty(r => r.LeaseExpiresAt, noLease)
                .SetProperty(r => r.SpanId, r => request.SpanId ?? r.SpanId)
                // A cancellation someone asked for keeps their name: "cancel requested by ann" becomes "cancelled by ann".
                .SetProperty(r => r.StatusReason, r => r.CancelRequested && cancelled
                    ? r.StatusReason!.Replace("cancel requested by", "cancelled by")
                    : request.Reason ?? r.StatusReason), cancellationToken);
            if (completed == 0)
            {
                var state = await db.Runs.AsNoTracking().Where(r => r.Id == runId)
                    .Select(r => new { r.LeaseEpoch, r.Status }).SingleOrDefaultAsync(cancellationToken);
                if (state is not null && state.LeaseEpoch == request.Epoch && state.Status == final)
                {
                    return final;
                }
                return await StaleAsync(runId, request.Epoch, cancellationToken);
            }
            // Checkpoint: inside the transaction the run's row is this completion's; a step that does not exist undoes it all.
            for (var i = 0; i < steps.Count; i++)
            {
                // A plain local, not steps[i], inside the query: EF would compile a delegate per call to evaluate an indexer.
                var step = steps[i];
                if (await StoreStepAsync(db.RunSteps.Where(s => s.RunId == runId && s.Index == step.Index), step, cancellationToken) == 0)
                {
                    await transaction.RollbackAsync(cancellationToken);
                    return Failure.Unprocessable($"steps[{i}].index", $"run {runId} has no step {step.Index}");
                }
            }
            end = await scheduler.ReadEndAsync(runId, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        jobTokens.Forget(runId);
        signals.PulseRun(runId);
        foreach (var step in steps)
        {
            metrics.StepFinished(step.Status, step.StartedAt, step.FinishedAt);
        }
        await scheduler.OnRunEndedAsync(runId, final, end, cancellationToken);
        return final;
    }

    /// <summary>Rows changed: 1 when the step exists and the epoch still holds the run, else 0.</summary>
    private Task<int> StoreHeldStepAsync(long runId, long epoch, StepState state, CancellationToken cancellationToken)
    {
        // A query in a local is inlined by EF as a subquery (EXISTS), the same statement as before.
        var held = Held(runId, epoch);
        return StoreStepAsync(db.RunSteps.Where(s => s.RunId == runId && s.Index == state.Index && held.Any()), state, cancellationToken);
    }

    /// <summary>The state replaces the step's; a state without a span id keeps the one stored.</summary>
    private static Task<int> StoreStepAsync(IQueryable<RunStep> step, StepState state, CancellationToken cancellationToken) =>
        step.ExecuteUpdateAsync(set => set
            .SetProperty(s => s.Status, state.Status)
            .SetProperty(s => s.Attempt, state.Attempt)
            .SetProperty(s => s.ExitCode, state.ExitCode)
            .SetProperty(s => s.StartedAt, state.StartedAt)
            .SetProperty(s => s.FinishedAt, state.FinishedAt)
            .SetProperty(s => s.SpanId, s => state.SpanId ?? s.SpanId), cancellationToken);

    /// <summary>A list of step states (a completion's or a steps update's): within the limit, each valid, no step twice.</summary>
    private static void CheckSteps(FieldErrors errors, IReadOnlyList<StepState> steps)
    {
        if (steps.Count > CompleteRequest.MaxSteps)
        {
            errors.Add("steps", $"at most {CompleteRequest.MaxSteps} step states");
            return;
        }
        var seen = new HashSet<int>();
        for (var i = 0; i < steps.Count && !errors.Any; i++)
        {
            CheckStep(errors, $"steps[{i}].", steps[i].Status, steps[i].Attempt, steps[i].SpanId);
            if (!seen.Add(steps[i].Index))
            {
                errors.Add($"steps[{i}].index", $"step {steps[i].Index} is listed twice; send each step's latest state once");
            }
        }
    }

    private static void CheckStep(FieldErrors errors, string prefix, StepStatus status, int attempt, string? spanId)
    {
        CheckSpanId(errors, prefix + "spanId", spanId);
        errors.Range(prefix + "attempt", attempt, 0, 1000);
        if (status == StepStatus.Pending)
        {
            errors.Add(prefix + "status", "an agent reports running or a final step status, not pending");
        }
    }

    /// <summary>A W3C span id: 16 lowercase hex digits, not all zero.</summary>
    private static void CheckSpanId(FieldErrors errors, string field, string? spanId)
    {
        if (spanId is not null && (spanId.Length != 16 || !spanId.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f')) || spanId.All(c => c == '0')))
        {
            errors.Add(field, "a span id is 16 lowercase hex digits, not all zero");
        }
    }

    /// <summary>The run, only while this epoch holds its lease.</summary>
    private IQueryable<Run> Held(long runId, long epoch) =>
        db.Runs.Where(r => r.Id == runId && r.LeaseEpoch == epoch && r.Status == RunStatus.Running);

    /// <summary>Why a write about a run was refused: it does not exist (404) or the epoch no longer holds it (409).</summary>
    internal static async Task<Failure> StaleAsync(BatonDbContext db, long runId, long epoch, CancellationToken cancellationToken)
    {
        var state = await db.Runs.AsNoTracking().Where(r => r.Id == runId)
            .Select(r => new { r.LeaseEpoch, r.Status }).SingleOrDefaultAsync(cancellationToken);
        return state is null
            ? RunCommands.NotFound(runId)
            : Failure.Conflict(state.LeaseEpoch != epoch
                ? $"lease epoch {epoch} of run {runId} is stale (the run is at epoch {state.LeaseEpoch}); stop this run"
                : $"run {runId} is {RunCommands.Words(state.Status)}; its lease is over; stop this run");
    }

    private Task<Failure> StaleAsync(long runId, long epoch, CancellationToken cancellationToken) =>
        StaleAsync(db, runId, epoch, cancellationToken);
}
