using System.Runtime.InteropServices;
using System.Threading.Channels;
using Baton.Cli.Client;
using Baton.Cli.Output;
using Baton.Core.Runs;
using Baton.Server.Features.Runs;
using Spectre.Console;

namespace Baton.Cli.Follow;

/// <summary>
/// Follows a run to its end over the live streams and answers the exit code its outcome maps to. Ctrl-C asks
/// whether to cancel the run: yes cancels it and follows it to its end; no leaves it running and exits 130.
/// </summary>
internal sealed class RunFollower(ClientCall call, bool logOnly = false)
{
    private const int TailLines = 20;
    /// <summary>Ctrl-Cs not acted on yet; checked before every event, so one is answered at once even behind a backlog of log lines.</summary>
    private int _interrupts;
    private static readonly TimeSpan TickInterval = TimeSpan.FromSeconds(1);

    public async Task<int> FollowAsync(RunDto run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var state = new FollowState(run, TailLines);
        var view = ViewFor(call);
        if (view is not JsonView)
        {
            call.Printer.Note(Markup.Escape($"following run {run.Id} ({run.Project}/{run.WorkItem} #{run.Number}, {Waiting(run)}); Ctrl-C to stop or cancel"));
        }
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var events = Channel.CreateUnbounded<FollowEvent>();
        var prompting = false;
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
        {
            // While the question is on screen, a second Ctrl-C means "just get me out": the default (exit 130) applies.
            context.Cancel = !prompting;
            Interlocked.Increment(ref _interrupts);
            events.Writer.TryWrite(new Interrupted());
        });
        var pumps = Task.WhenAll(PumpLogsAsync(state, events.Writer, stop.Token), PumpStepsAsync(state, events.Writer, stop.Token),
            PumpTicksAsync(view, events.Writer, stop.Token));
        try
        {
            while (true)
            {
                var interrupted = await view.ShowWhileAsync(state, () => ApplyUntilOverAsync(state, view, events.Reader, stop.Token));
                if (!interrupted)
                {
                    break;
                }
                prompting = true;
                var cancel = AskToCancel(run.Id);
                prompting = false;
                Interlocked.Exchange(ref _interrupts, 0);
                if (!cancel)
                {
                    call.Printer.Note(Markup.Escape($"run {run.Id} goes on; follow it again with: baton logs {run.Id} --follow"));
                    return ExitCodes.Interrupted;
                }
                await call.Api.PostAsync<RunDto>($"api/runs/{run.Id}/cancel", null, cancellationToken);
                call.Printer.Note(Markup.Escape($"cancelling run {run.Id}…"));
            }
        }
        finally
        {
            await stop.CancelAsync();
            await SwallowCancellationAsync(pumps);
        }
        var final = await call.Api.GetAsync<RunDto>($"api/runs/{run.Id}", cancellationToken);
        view.Finished(state, final);
        return ExitCodeFor(final.Value.Status);
    }

    /// <summary>The exit code of a run's final status (docs/cli.md).</summary>
    public static int ExitCodeFor(RunStatus status) => status switch
    {
        RunStatus.Succeeded => ExitCodes.Success,
        RunStatus.Cancelled => ExitCodes.RunCancelled,
        RunStatus.TimedOut => ExitCodes.RunTimedOut,
        _ => ExitCodes.RunFailed,
    };

    private FollowView ViewFor(ClientCall owner)
    {
        if (owner.Printer.Json)
        {
            return new JsonView(owner.Printer);
        }
        return Console.IsOutputRedirected || !owner.Printer.Console.Profile.Capabilities.Interactive
            ? new PlainView(logOnly)
            : new LiveView(owner.Printer.Console, owner.Settings.Server, TimeProvider.System);
    }

    private static string Waiting(RunDto run) => run.WaitingReason is { Length: > 0 } waiting
        ? $"{Tables.Wire(run.Status)}: {waiting}"
        : Tables.Wire(run.Status);

    /// <summary>Applies events to the state and the view until both streams ended (false) or Ctrl-C came (true).</summary>
    private async Task<bool> ApplyUntilOverAsync(FollowState state, FollowView view, ChannelReader<FollowEvent> events,
        CancellationToken cancellationToken)
    {
        while (!state.Over)
        {
            var next = await events.ReadAsync(cancellationToken);
            if (Volatile.Read(ref _interrupts) > 0)
            {
                return true;
            }
            switch (next)
            {
                case LinesArrived arrived:
                    var fresh = state.Add(arrived.Lines);
                    if (fresh.Count > 0)
                    {
                        view.Lines(state, fresh);
                    }
                    break;
                case StepsChanged changed:
                    var before = state.Status;
                    view.StepsMoved(state, state.Apply(changed.Steps, changed.Status), before);
                    break;
                case StreamEnded { Failure: { } failure }:
                    throw failure;
                case StreamEnded ended:
                    state.Ended(ended.Logs);
                    break;
                case Tick:
                    view.Tick(state);
                    break;
                case Interrupted:
                    // One already answered: the question was asked for it.
                    break;
            }
        }
        return false;
    }

    private async Task PumpLogsAsync(FollowState state, ChannelWriter<FollowEvent> events, CancellationToken cancellationToken)
    {
        // The cursor is the last line handed on, read when the stream (re)connects: lines are handed on in order.
        var received = 0L;
        try
        {
            await foreach (var message in RunStreams.LogsAsync(call.Api, state.Run.Id, () => received, cancellationToken))
            {
                if (message.Lines is { Count: > 0 } lines)
                {
                    received = lines[^1].N;
                    events.TryWrite(new LinesArrived(lines));
                }
            }
            events.TryWrite(new StreamEnded(Logs: true, null));
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            events.TryWrite(new StreamEnded(Logs: true, exception));
        }
    }

    private async Task PumpStepsAsync(FollowState state, ChannelWriter<FollowEvent> events, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var message in RunStreams.StepsAsync(call.Api, state.Run.Id, cancellationToken))
            {
                events.TryWrite(new StepsChanged(message.Steps, message.Status));
            }
            events.TryWrite(new StreamEnded(Logs: false, null));
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            events.TryWrite(new StreamEnded(Logs: false, exception));
        }
    }

    private static async Task PumpTicksAsync(FollowView view, ChannelWriter<FollowEvent> events, CancellationToken cancellationToken)
    {
        if (view is not LiveView)
        {
            return;
        }
        using var timer = new PeriodicTimer(TickInterval);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            events.TryWrite(new Tick());
        }
    }

    /// <summary>Yes or no, from the terminal, or from a line on stdin when it is a pipe (scripts and tests answer that way).</summary>
    private bool AskToCancel(long runId)
    {
        if (!Console.IsInputRedirected && call.Printer.Console.Profile.Capabilities.Interactive)
        {
            return call.Printer.Console.Confirm($"Cancel run {runId}?", defaultValue: false);
        }
        Console.Error.Write($"Cancel run {runId}? [y/N] ");
        var answer = Console.In.ReadLine();
        return answer is not null && answer.Trim().StartsWith('y');
    }

    private static async Task SwallowCancellationAsync(Task pumps)
    {
        try
        {
            await pumps;
        }
        catch (OperationCanceledException)
        {
            // The follower stopped them.
        }
    }
}
