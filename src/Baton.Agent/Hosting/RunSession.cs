using Baton.Agent.Client;
using Baton.Agent.Execution;
using Baton.Agent.Logs;
using Baton.Agent.Processes;
using Baton.Agent.Tracing;
using Baton.Contracts.Agents;
using Baton.Contracts.Runs;
using Microsoft.Extensions.Logging;
using Polly;

namespace Baton.Agent.Hosting;

/// <summary>
/// One claimed run on this agent, from claim to complete: an empty workspace, the lease loop,
/// the executor, log lines to the shipper and step updates to their sender, then complete once
/// everything before it was acknowledged. The run is stopped by whichever comes first: the
/// server's cancellation (ends Cancelled), a lost lease (processes killed, nothing more sent),
/// or the host's drain deadline (ends Cancelled).
/// </summary>
/// <param name="claimFor">The agent's id while it takes more work (then the completion asks for the next run), else null.</param>
public sealed class RunSession(ClaimedRun run, AgentClient client, AgentOptions options, TimeProvider clock, ILogger logger, Func<long?>? claimFor = null)
{
    // Enough for tools to find themselves and behave (locale, temp files); the agent's own secrets stay out.
    private static readonly string[] InheritedVariables = ["PATH", "HOME", "LANG", "USER", "TMPDIR"];
    private readonly ResiliencePipeline<CompleteResult> _completeRetry =
        Retries.WhileFailed<CompleteResult>(clock, answer => answer.Result == WriteResult.Failed);
    private readonly RunExecutor _executor = new(new ProcessRunner(clock), clock);
    private System.Diagnostics.Activity? _span;

    /// <summary>Created empty for the run and deleted after it: nothing leaks from one attempt into the next.</summary>
    public string Workspace { get; } = Path.Combine(options.WorkDirectory, "runs", Key(run));

    /// <summary>Log batches not yet acknowledged; per epoch, because a new epoch numbers its batches from 1 again.</summary>
    public string SpoolDirectory { get; } = Path.Combine(options.WorkDirectory, "spool", Key(run));

    /// <param name="abort">Fires when the host's drain grace has passed: the run is cancelled and reported so.</param>
    public async Task<RunSessionOutcome> RunAsync(CancellationToken abort)
    {
        // The run's span is the parent of its steps' spans (and, through TRACEPARENT, of whatever the steps trace).
        _span = AgentTracing.StartRun(run, options.Name);
        var outcome = RunSessionOutcome.LeaseLost(run.RunId);
        try
        {
            outcome = await RunTracedAsync(abort);
            return outcome;
        }
        finally
        {
            client.Forget(run.RunId);
            AgentTracing.End(_span, outcome.Result == RunResult.Succeeded && outcome.Reported,
                outcome.Reported ? AgentTracing.Outcome(outcome.Result) : "lease lost", null);
        }
    }

    private async Task<RunSessionOutcome> RunTracedAsync(CancellationToken abort)
    {
        using var lost = new CancellationTokenSource();
        using var lease = new LeaseKeeper(client, run, clock, lost.Cancel);
        using var leaseStop = new CancellationTokenSource();
        // Checkpoint: the run is leased to this agent from the claim on. If the agent dies anywhere
        // before complete, renewals stop and the server's reaper requeues or fails the run.
        var leaseLoop = lease.RunAsync(leaseStop.Token);
        try
        {
            return await RunLeasedAsync(lease, lost, async () =>
            {
                await leaseStop.CancelAsync();
                await leaseLoop;
            }, abort);
        }
        finally
        {
            await leaseStop.CancelAsync();
            await leaseLoop;
            Delete(Workspace);
            Delete(SpoolDirectory);
        }
    }

    /// <param name="stopLease">Ends the lease loop before the end is reported: once the run is over on the server, the
    /// loop's next answer is a 409 that must not be mistaken for a lost lease (it would abandon the completion in flight).</param>
    private async Task<RunSessionOutcome> RunLeasedAsync(LeaseKeeper lease, CancellationTokenSource lost, Func<Task> stopLease,
        CancellationToken abort)
    {
        var shipper = new LogShipper(run.RunId, run.Epoch, client, new LogSpool(SpoolDirectory), clock, options.LogRefusalBudget);
        var steps = new StepUpdateSender(client, run, clock, lost.Cancel, lost.Token);
        Task? flush = null;
        try
        {
            using var shipperLost = shipper.LeaseLost.Register(lost.Cancel);
            // A log the server keeps refusing stops the processes too; the run then ends failed, saying why.
            using var execution = CancellationTokenSource.CreateLinkedTokenSource(lost.Token, lease.CancelRequested, abort, shipper.Refused);
            var (report, fault) = await ExecuteAsync(shipper, steps, execution.Token);
            if (lost.IsCancellationRequested)
            {
                return RunSessionOutcome.LeaseLost(run.RunId);
            }
            // Checkpoint: the processes are gone. Until complete is delivered, a dying agent leaves the
            // run to the reaper; its lines and steps delivered so far are kept.
            flush = shipper.FlushAsync(Timeout.InfiniteTimeSpan);
            var unsentSteps = steps.FinishAsync();
            await Task.WhenAny(Task.WhenAll(flush, unsentSteps), WhenCancelled(lost.Token));
            if (lost.IsCancellationRequested)
            {
                return RunSessionOutcome.LeaseLost(run.RunId);
            }
            var outcome = Outcome(report, fault, shipper.RefusedReason, lease.CancelRequested.IsCancellationRequested, abort.IsCancellationRequested);
            // The step states not sent yet travel with the end: the server stores both in one transaction.
            var request = new CompleteRequest(run.Epoch, outcome.Result, ExitCode(report, outcome.Result), outcome.Reason, await unsentSteps,
                abort.IsCancellationRequested ? null : claimFor?.Invoke(), _span?.SpanId.ToHexString());
            // Checkpoint: from here the completion's own answer says whether the lease still held (409 if not).
            await stopLease();
            if (lost.IsCancellationRequested)
            {
                return RunSessionOutcome.LeaseLost(run.RunId);
            }
            return await CompleteAsync(request, lost.Token) is { } answer ? outcome with { Next = answer.Next } : RunSessionOutcome.LeaseLost(run.RunId);
        }
        finally
        {
            // Whatever is still sending (only after a lost lease or a fault) stops now.
            await lost.CancelAsync();
            await steps.FinishAsync();
            steps.Dispose();
            await shipper.DisposeAsync();
            if (flush is not null)
            {
                await flush.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private async Task<(RunReport? Report, Exception? Fault)> ExecuteAsync(LogShipper shipper, StepUpdateSender steps, CancellationToken cancellationToken)
    {
        try
        {
            PrepareWorkspace();
            var report = await _executor.ExecuteAsync(run.Recipe, Workspace, BaseEnvironment(run), new Observer(shipper, steps),
                new RunLogSettings(run.FirstLine, run.MaxLogBytes) { Secrets = run.Secrets }, cancellationToken);
            return (report, null);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            // The agent could not run the recipe at all (workspace, process start): the run fails with the reason.
            logger.SessionFault(exception, run.RunId);
            return (null, exception);
        }
    }

    /// <param name="logRefused">Why the server's refusal of the log stopped the run, or null.</param>
    private RunSessionOutcome Outcome(RunReport? report, Exception? fault, string? logRefused, bool cancelRequested, bool aborted) => (report, fault) switch
    {
        _ when logRefused is not null => new(run.RunId, RunResult.Failed, true, logRefused),
        (null, _) => new(run.RunId, RunResult.Failed, true, $"the agent could not execute the run: {fault?.Message}"),
        ({ Result: RunResult.Cancelled }, _) when cancelRequested => new(run.RunId, RunResult.Cancelled, true, "cancelled"),
        ({ Result: RunResult.Cancelled }, _) when aborted =>
            new(run.RunId, RunResult.Cancelled, true, $"the agent shut down and its drain grace of {options.DrainGrace.TotalSeconds:0} s passed"),
        _ => new(run.RunId, report.Result, true, null),
    };

    /// <summary>0 for a run that succeeded, else the exit code of the last step that failed (null when none exited by itself).</summary>
    private static int? ExitCode(RunReport? report, RunResult result) => result == RunResult.Succeeded
        ? 0
        : report?.Steps.LastOrDefault(step => step is { Status: StepStatus.Failed, ExitCode: not null })?.ExitCode;

    /// <summary>Retries until the server answers; null when the lease is gone.</summary>
    private async Task<CompleteResult?> CompleteAsync(CompleteRequest request, CancellationToken lost)
    {
        try
        {
            var answer = await _completeRetry.ExecuteAsync(async token => await client.CompleteAsync(run.RunId, request, token), lost);
            // Still Failed only when the retries stopped because the lease went meanwhile.
            return answer.Result == WriteResult.Accepted ? answer : null;
        }
        catch (OperationCanceledException) when (lost.IsCancellationRequested)
        {
            return null;
        }
    }

    private void PrepareWorkspace()
    {
        // A directory left by a crashed agent for the same run and epoch is stale by definition.
        if (Directory.Exists(Workspace))
        {
            Directory.Delete(Workspace, recursive: true);
        }
        Directory.CreateDirectory(Workspace);
    }

    private void Delete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            logger.CleanupFailed(directory, exception.Message);
        }
    }

    private static Dictionary<string, string> BaseEnvironment(ClaimedRun run)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in InheritedVariables)
        {
            if (Environment.GetEnvironmentVariable(name) is { } value)
            {
                environment[name] = value;
            }
        }
        foreach (var (name, value) in run.Environment)
        {
            environment[name] = value;
        }
        return environment;
    }

    private static string Key(ClaimedRun run) => FormattableString.Invariant($"{run.RunId}-{run.Epoch}");

    private static Task WhenCancelled(CancellationToken token) =>
        Task.Delay(Timeout.InfiniteTimeSpan, token).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    /// <summary>Lines go to the shipper, step changes to their sender; neither blocks the process readers.</summary>
    private sealed class Observer(LogShipper shipper, StepUpdateSender steps) : IRunObserver
    {
        public void OnLine(LogLine line) => shipper.Add(line);

        public void OnStep(StepReport report) => steps.Add(report);
    }
}
