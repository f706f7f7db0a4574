using System.Text;
using Baton.Agent.Processes;
using Baton.Contracts.Recipes;
using Baton.Contracts.Runs;
using Baton.Core.Recipes;
using Baton.Core.Secrets;

namespace Baton.Agent.Execution;

/// <summary>
/// Executes a recipe's steps in order as real processes inside the run's workspace.
/// Environment: the agent's base &lt; the recipe's &lt; the step's &lt; the project's secrets. A failed step (unless
/// continue_on_error) skips the rest. Which token fired tells a timeout from a cancellation:
/// the step's own CancelAfter, the run's CancelAfter, or the caller's token. Lines are numbered
/// densely from <see cref="RunLogSettings.FirstLine"/>; output past the byte limit is dropped. Every line,
/// Baton's own too, passes the secret masker on its way out: this is the one place lines leave the run.
/// </summary>
public sealed class RunExecutor(ProcessRunner runner, TimeProvider clock)
{
    /// <summary>The W3C trace context variable (https://www.w3.org/TR/trace-context/): OpenTelemetry SDKs in a step's tools read it.</summary>
    public const string TraceParent = "TRACEPARENT";

    /// <summary>A run without a timeout of its own stops after this long.</summary>
    public static readonly TimeSpan DefaultRunTimeout = TimeSpan.FromHours(6);

    public async Task<RunReport> ExecuteAsync(RecipeSpec recipe, string workspace, IReadOnlyDictionary<string, string> baseEnvironment,
        IRunObserver observer, RunLogSettings logSettings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        ArgumentNullException.ThrowIfNull(logSettings);
        var log = new NumberedLog(observer, clock, logSettings);
        using var runTimeout = new CancellationTokenSource(recipe.Timeout ?? DefaultRunTimeout, clock);
        using var run = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, runTimeout.Token);
        var reports = new List<StepReport>();
        RunResult? ended = null;
        for (var index = 0; index < recipe.Steps.Count; index++)
        {
            var step = recipe.Steps[index];
            if (ended is not null)
            {
                reports.Add(Report(observer, new StepReport(index, step.Name, StepStatus.Skipped, 0, null, null, null)));
                continue;
            }
            var report = await RunStepAsync(recipe, index, workspace, baseEnvironment, log, observer, run.Token);
            reports.Add(report);
            if (report.Status == StepStatus.Succeeded || (report.Status == StepStatus.Failed && step.ContinueOnError))
            {
                continue;
            }
            ended = report.Status switch
            {
                StepStatus.Cancelled when runTimeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested => RunResult.TimedOut,
                StepStatus.Cancelled => RunResult.Cancelled,
                StepStatus.TimedOut when step.ContinueOnError => null,
                StepStatus.TimedOut => RunResult.TimedOut,
                _ => RunResult.Failed,
            };
            if (ended is not null && index < recipe.Steps.Count - 1)
            {
                log.System(index, $"Skipping the remaining {recipe.Steps.Count - index - 1} step(s): step '{step.Name}' ended {System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(report.Status.ToString())}.");
            }
        }
        return new RunReport(ended ?? RunResult.Succeeded, reports);
    }

    /// <summary>One step in its own span: the step's processes see the span as their parent (TRACEPARENT).</summary>
    private async Task<StepReport> RunStepAsync(RecipeSpec recipe, int index, string workspace, IReadOnlyDictionary<string, string> baseEnvironment,
        NumberedLog log, IRunObserver observer, CancellationToken runToken)
    {
        var span = Tracing.AgentTracing.StartStep(index, recipe.Steps[index].Name);
        var report = new StepReport(index, recipe.Steps[index].Name, StepStatus.Failed, 1, null, null, null, span?.SpanId.ToHexString());
        try
        {
            var environment = span is null ? baseEnvironment
                : new Dictionary<string, string>(baseEnvironment, StringComparer.Ordinal) { [TraceParent] = span.Id! };
            report = await RunStepCoreAsync(recipe, index, workspace, environment, log, observer, report.SpanId, runToken);
            return report;
        }
        finally
        {
            Tracing.AgentTracing.End(span, report.Status == StepStatus.Succeeded, Tracing.AgentTracing.Outcome(report.Status), report.ExitCode);
        }
    }

    private async Task<StepReport> RunStepCoreAsync(RecipeSpec recipe, int index, string workspace, IReadOnlyDictionary<string, string> baseEnvironment,
        NumberedLog log, IRunObserver observer, string? spanId, CancellationToken runToken)
    {
        var step = recipe.Steps[index];
        var started = clock.GetUtcNow();
        var directory = Path.GetFullPath(Path.Combine(workspace, step.Cwd ?? recipe.Cwd));
        var maxAttempts = 1 + (step.Retry?.Attempts ?? 0);
        StepReport Running(int attempt) => new(index, step.Name, StepStatus.Running, attempt, null, started, null, spanId);
        StepReport Ended(StepStatus status, int attempt, int? exitCode) => new(index, step.Name, status, attempt, exitCode, started, clock.GetUtcNow(), spanId);
        if (!Directory.Exists(directory))
        {
            log.System(index, $"Step '{step.Name}': working directory '{step.Cwd ?? recipe.Cwd}' does not exist in the workspace.");
            return Report(observer, Ended(StepStatus.Failed, 1, null));
        }
        for (var attempt = 1; ; attempt++)
        {
            Report(observer, Running(attempt));
            using var stepTimeout = step.Timeout is { } limit ? new CancellationTokenSource(limit, clock) : new CancellationTokenSource();
            using var stepToken = CancellationTokenSource.CreateLinkedTokenSource(runToken, stepTimeout.Token);
            var result = await runner.RunAsync(Spec(recipe, step, directory, baseEnvironment, log.Secrets),
                line => log.Output(index, line), stepToken.Token);
            var status = (result.Stopped, runToken.IsCancellationRequested, result.ExitCode) switch
            {
                (true, true, _) => StepStatus.Cancelled,
                (true, false, _) => StepStatus.TimedOut,
                (false, _, 0) => StepStatus.Succeeded,
                _ => StepStatus.Failed,
            };
            if (status == StepStatus.TimedOut)
            {
                log.System(index, $"Step '{step.Name}' timed out after {Durations.Format(step.Timeout!.Value)}.");
            }
            var retry = status is StepStatus.Failed or StepStatus.TimedOut && attempt < maxAttempts;
            if (!retry)
            {
                return Report(observer, Ended(status, attempt, result.Stopped ? null : result.ExitCode));
            }
            log.System(index, $"Step '{step.Name}' {(status == StepStatus.TimedOut ? "timed out" : $"exited with {result.ExitCode}")}; attempt {attempt + 1} of {maxAttempts} follows in {Durations.Format(step.Retry!.Delay)}.");
            try
            {
                await Task.Delay(step.Retry.Delay, clock, runToken);
            }
            catch (OperationCanceledException)
            {
                return Report(observer, Ended(StepStatus.Cancelled, attempt, null));
            }
        }
    }

    /// <summary>A secret wins over a recipe variable of the same name: the project's value is the one meant to be used.</summary>
    private static ProcessSpec Spec(RecipeSpec recipe, RecipeStep step, string directory, IReadOnlyDictionary<string, string> baseEnvironment,
        IReadOnlyDictionary<string, string> secrets)
    {
        var environment = new Dictionary<string, string>(baseEnvironment, StringComparer.Ordinal);
        foreach (var (name, value) in recipe.Env.Concat(step.Env).Concat(secrets))
        {
            environment[name] = value;
        }
        // A plain command starts in bash's place (ADR 0014); anything else is bash's (or sh's) to read.
        var (fileName, arguments, stepEnvironment) = recipe.Shell != "sh" && SimpleCommand.Parse(step.Run, environment, directory) is var (program, words)
            ? (program, words, SimpleCommand.EnvironmentAsBashGivesIt(environment, directory, program))
            : recipe.Shell == "sh"
                ? ("/bin/sh", new[] { "-e", "-c", step.Run }, environment)
                : ("/bin/bash", new[] { "-e", "-o", "pipefail", "-c", step.Run }, environment);
        return new ProcessSpec
        {
            FileName = fileName,
            Arguments = arguments,
            WorkingDirectory = directory,
            Environment = stepEnvironment,
        };
    }

    private static StepReport Report(IRunObserver observer, StepReport report)
    {
        observer.OnStep(report);
        return report;
    }

    /// <summary>
    /// Numbers every line of the run at the source, densely from the first line, across steps and
    /// streams, and enforces the output byte limit: past it, output lines are dropped and one
    /// system line says so; Baton's own lines still pass, so the run's story stays readable.
    /// </summary>
    private sealed class NumberedLog(IRunObserver observer, TimeProvider clock, RunLogSettings settings)
    {
        private readonly Lock _gate = new();
        // Values too short to mask are never sent by the server (it refuses them); one that came anyway is still set, not masked.
        private readonly SecretMasker _masker = new(settings.Secrets.Values.Where(v => v.Length >= SecretMasker.MinimumLength));

        public IReadOnlyDictionary<string, string> Secrets => settings.Secrets;
        private long _next = settings.FirstLine;
        private long _outputBytes;
        private bool _dropping;

        public void Output(int step, OutputLine line)
        {
            lock (_gate)
            {
                if (_dropping)
                {
                    return;
                }
                // The newline counts too: it is what the process wrote, and counting it keeps the
                // agent on the safe side of a server that measures the stored text with separators.
                _outputBytes += Encoding.UTF8.GetByteCount(line.Text) + 1;
                if (_outputBytes > settings.MaxLogBytes)
                {
                    _dropping = true;
                    Write(step, LogSource.System, $"Output past {settings.MaxLogBytes} bytes was dropped (the run's log limit); the run carries on.", clock.GetUtcNow());
                    return;
                }
                Write(step, line.Source == OutputSource.Stderr ? LogSource.Stderr : LogSource.Stdout, line.Text, line.At);
            }
        }

        public void System(int step, string text)
        {
            lock (_gate)
            {
                Write(step, LogSource.System, text, clock.GetUtcNow());
            }
        }

        // Called under the lock: numbering and handing over happen together, so the observer sees the numbers in order.
        private void Write(int step, LogSource source, string text, DateTimeOffset at) =>
            observer.OnLine(new LogLine(_next++, step, source, Masked(text), at));

        /// <summary>A line cut at the length limit may end in the first part of a secret: the masker is told so.</summary>
        private string Masked(string text) =>
            _masker.IsEmpty ? text
            : text.EndsWith(LineReader.CutMarker, StringComparison.Ordinal)
                ? _masker.Apply(text[..^LineReader.CutMarker.Length], truncated: true) + LineReader.CutMarker
                : _masker.Apply(text);
    }
}
