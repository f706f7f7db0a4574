using System.Collections.Concurrent;
using Baton.Agent.Execution;
using Baton.Agent.Processes;
using Baton.Contracts.Recipes;
using Baton.Contracts.Runs;

namespace Baton.Agent.Tests.Execution;

/// <summary>Recipes executed as real bash processes in a temporary workspace.</summary>
public sealed class RunExecutorTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private static readonly Dictionary<string, string> BaseEnvironment = new() { ["PATH"] = "/usr/bin:/bin", ["LEVEL"] = "agent" };
    private readonly string _workspace = Directory.CreateTempSubdirectory("baton-run-").FullName;
    private readonly Observer _observer = new();
    private readonly RunExecutor _executor = new(new ProcessRunner(TimeProvider.System), TimeProvider.System);

    private static RecipeStep Step(string name, string run) => new() { Name = name, Run = run };

    private Task<RunReport> ExecuteAsync(RecipeSpec recipe, CancellationToken cancellationToken = default) =>
        ExecuteAsync(recipe, RunLogSettings.Default, cancellationToken);

    private Task<RunReport> ExecuteAsync(RecipeSpec recipe, RunLogSettings logSettings, CancellationToken cancellationToken = default) =>
        _executor.ExecuteAsync(recipe, _workspace, BaseEnvironment, _observer, logSettings, cancellationToken).WaitAsync(Deadline, CancellationToken.None);

    [Fact]
    public async Task Execute_RunsStepsInOrder_MergingEnvironment_AndNumberingLinesDensely()
    {
        Directory.CreateDirectory(Path.Combine(_workspace, "src"));
        var recipe = new RecipeSpec
        {
            Env = new Dictionary<string, string> { ["LEVEL"] = "recipe", ["KEEP"] = "r" },
            Steps =
            [
                Step("one", "echo \"$LEVEL $KEEP\"; echo err >&2"),
                Step("two", "echo \"$LEVEL $KEEP $(basename $(pwd))\"") with { Env = new Dictionary<string, string> { ["LEVEL"] = "step" }, Cwd = "src" },
            ],
        };

        var report = await ExecuteAsync(recipe);

        Assert.Equal(RunResult.Succeeded, report.Result);
        Assert.All(report.Steps, s => Assert.Equal((StepStatus.Succeeded, 0), (s.Status, s.ExitCode)));
        var lines = _observer.Lines.ToList();
        Assert.Equal(Enumerable.Range(1, lines.Count).Select(n => (long)n), lines.Select(l => l.Number));
        Assert.Equal([(0, LogSource.Stdout, "recipe r"), (1, LogSource.Stdout, "step r src")],
            lines.Where(l => l.Source == LogSource.Stdout).Select(l => (l.Step!.Value, l.Source, l.Text)));
        Assert.Contains(lines, l => l is { Step: 0, Source: LogSource.Stderr, Text: "err" });
    }

    [Fact]
    public async Task Execute_SkipsLaterSteps_AfterAFailure()
    {
        var report = await ExecuteAsync(new RecipeSpec { Steps = [Step("ok", "true"), Step("bad", "exit 7"), Step("never", "echo no")] });

        Assert.Equal(RunResult.Failed, report.Result);
        Assert.Equal([StepStatus.Succeeded, StepStatus.Failed, StepStatus.Skipped], report.Steps.Select(s => s.Status));
        Assert.Equal(7, report.Steps[1].ExitCode);
        Assert.DoesNotContain(_observer.Lines, l => l.Text == "no");
        Assert.Contains(_observer.Lines, l => l.Source == LogSource.System && l.Text.Contains("Skipping the remaining 1 step(s)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Execute_ContinuesAfterAFailure_MarkedContinueOnError()
    {
        var report = await ExecuteAsync(new RecipeSpec { Steps = [Step("flaky", "exit 1") with { ContinueOnError = true }, Step("after", "echo ran")] });

        Assert.Equal(RunResult.Succeeded, report.Result);
        Assert.Equal([StepStatus.Failed, StepStatus.Succeeded], report.Steps.Select(s => s.Status));
    }

    [Fact]
    public async Task Execute_RetriesAFailedStep_UntilItSucceeds()
    {
        var counter = Path.Combine(_workspace, "tries");
        var step = Step("eventually", $"echo x >> {counter}; [ $(wc -l < {counter}) -ge 3 ]") with { Retry = new RetryPolicy(3, TimeSpan.FromMilliseconds(10)) };

        var report = await ExecuteAsync(new RecipeSpec { Steps = [step] });

        Assert.Equal(RunResult.Succeeded, report.Result);
        Assert.Equal((StepStatus.Succeeded, 3), (report.Steps[0].Status, report.Steps[0].Attempt));
        Assert.Equal(2, _observer.Lines.Count(l => l.Source == LogSource.System && l.Text.Contains("attempt", StringComparison.Ordinal)));
        Assert.Equal([1, 2, 3], _observer.Steps.Where(s => s.Status == StepStatus.Running).Select(s => s.Attempt));
    }

    [Fact]
    public async Task Execute_MarksAStepTimedOut_WhenItsOwnTimeoutFires()
    {
        var report = await ExecuteAsync(new RecipeSpec
        {
            Steps = [Step("slow", "sleep 30") with { Timeout = TimeSpan.FromMilliseconds(300) }, Step("next", "true")],
        });

        Assert.Equal(RunResult.TimedOut, report.Result);
        Assert.Equal([StepStatus.TimedOut, StepStatus.Skipped], report.Steps.Select(s => s.Status));
    }

    [Fact]
    public async Task Execute_TimesTheRunOut_WhenTheRunTimeoutFires()
    {
        var report = await ExecuteAsync(new RecipeSpec { Timeout = TimeSpan.FromMilliseconds(300), Steps = [Step("slow", "sleep 30")] });

        Assert.Equal(RunResult.TimedOut, report.Result);
    }

    [Fact]
    public async Task Execute_IsCancelled_ByTheCallersToken()
    {
        using var cancel = new CancellationTokenSource();
        _observer.OnFirstLine = () => cancel.Cancel();

        var report = await ExecuteAsync(new RecipeSpec { Steps = [Step("long", "echo started; sleep 30"), Step("after", "true")] }, cancel.Token);

        Assert.Equal(RunResult.Cancelled, report.Result);
        Assert.Equal([StepStatus.Cancelled, StepStatus.Skipped], report.Steps.Select(s => s.Status));
    }

    [Fact]
    public async Task Execute_FailsAStep_WhoseWorkingDirectoryIsMissing()
    {
        var report = await ExecuteAsync(new RecipeSpec { Steps = [Step("build", "true") with { Cwd = "missing" }] });

        Assert.Equal(RunResult.Failed, report.Result);
        Assert.Contains(_observer.Lines, l => l.Source == LogSource.System && l.Text.Contains("'missing' does not exist", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Execute_NumbersLinesFromTheFirstLineItWasGiven()
    {
        var report = await ExecuteAsync(new RecipeSpec { Steps = [Step("one", "echo a; echo b >&2"), Step("two", "echo c")] }, new RunLogSettings(41, long.MaxValue));

        Assert.Equal(RunResult.Succeeded, report.Result);
        Assert.Equal([41L, 42L, 43L], _observer.Lines.Select(l => l.Number));
    }

    [Fact]
    public async Task Execute_DropsOutputPastTheByteLimit_WithOneSystemLine_AndCarriesOn()
    {
        // Each "xxxxxxxxx" line is 10 bytes with its newline: the limit lets exactly three through.
        var recipe = new RecipeSpec
        {
            Steps =
            [
                Step("loud", "for i in 1 2 3 4 5 6; do echo xxxxxxxxx; done"),
                Step("fails", "echo more; exit 3") with { ContinueOnError = true },
                Step("after", "echo still"),
            ],
        };

        var report = await ExecuteAsync(recipe, new RunLogSettings(1, 35));

        Assert.Equal(RunResult.Succeeded, report.Result);
        Assert.Equal([StepStatus.Succeeded, StepStatus.Failed, StepStatus.Succeeded], report.Steps.Select(s => s.Status));
        var lines = _observer.Lines.ToList();
        Assert.Equal(Enumerable.Range(1, lines.Count).Select(n => (long)n), lines.Select(l => l.Number));
        Assert.Equal(3, lines.Count(l => l.Source != LogSource.System));
        var dropped = Assert.Single(lines, l => l.Source == LogSource.System);
        Assert.Contains("past 35 bytes was dropped", dropped.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(lines, l => l.Text is "more" or "still");
    }

    [Fact]
    public async Task Execute_StillWritesSystemLines_PastTheByteLimit()
    {
        var report = await ExecuteAsync(new RecipeSpec { Steps = [Step("loud", "echo 12345678901234567890"), Step("bad", "exit 1"), Step("never", "true")] },
            new RunLogSettings(1, 5));

        Assert.Equal(RunResult.Failed, report.Result);
        Assert.Equal(2, _observer.Lines.Count(l => l.Source == LogSource.System));
        Assert.Contains(_observer.Lines, l => l.Source == LogSource.System && l.Text.Contains("Skipping the remaining 1 step(s)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Secrets_AreStepVariables_AndNeverLeaveInALine_InAnyForm()
    {
        var secrets = new Dictionary<string, string>
        {
            ["API_KEY"] = "hunter2-very-secret",
            ["PEM"] = "-----BEGIN KEY-----\nMIIBOgIBAAJBAKj34GkxFhD\n-----END KEY-----",
            ["QUOTED"] = "pa\"ss\\word-42",
            ["SPACED"] = "open sesame now",
        };
        var recipe = new RecipeSpec
        {
            Env = new Dictionary<string, string> { ["API_KEY"] = "from-the-recipe" },
            Steps =
            [
                Step("raw", "echo \"key=$API_KEY\"; printf '%s' \"$API_KEY\" | sha256sum | cut -c1-64"),
                Step("encoded", "printf '%s' \"$API_KEY\" | base64; printf '%s\\n' \"$PEM\"; "
                    + "printf '%s\\n' \"$QUOTED\" | sed 's/\\\\/\\\\\\\\/g; s/\"/\\\\\"/g'; printf '%s\\n' \"$SPACED\" | sed 's/ /%20/g'"),
                // A line past the 64 KiB limit is cut inside the secret: its first part must not survive the cut.
                Step("cut", "head -c 65530 /dev/zero | tr '\\0' a; printf '%s\\n' \"$API_KEY\""),
            ],
        };

        var report = await ExecuteAsync(recipe, RunLogSettings.Default with { Secrets = secrets });

        Assert.Equal(RunResult.Succeeded, report.Result);
        var lines = _observer.Lines.Where(l => l.Source == LogSource.Stdout).Select(l => l.Text).ToList();
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("hunter2-very-secret"u8));
        Assert.Equal(["key=***", sha, "***", "***", "***", "***", "***", "***"], lines.Take(8));
        Assert.EndsWith("a***" + LineReader.CutMarker, lines[8], StringComparison.Ordinal);
        Assert.DoesNotContain(lines, l => l.Contains("hun", StringComparison.Ordinal) || l.Contains("sesame", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Execute_APlainCommandStartedWithoutBash_SeesWhatBashWouldGiveIt()
    {
        // `env` is started in bash's place; `command env` (a builtin first) goes through bash, which execs env itself.
        // The step's directory is reached through a link, so PWD must be the physical one, as bash's getcwd gives it.
        Directory.CreateDirectory(Path.Combine(_workspace, "real"));
        Directory.CreateSymbolicLink(Path.Combine(_workspace, "link"), Path.Combine(_workspace, "real"));
        var recipe = new RecipeSpec { Steps = [Step("direct", "env") with { Cwd = "link" }, Step("bash", "command env") with { Cwd = "link" }] };

        var report = await ExecuteAsync(recipe);

        Assert.Equal(RunResult.Succeeded, report.Result);
        // Each step has its own span, hence its own TRACEPARENT; everything else must match.
        string[] Environment(int step) =>
        [
            .. _observer.Lines.Where(l => l.Step == step && l.Source == LogSource.Stdout && !l.Text.StartsWith("TRACEPARENT=", StringComparison.Ordinal))
                .Select(l => l.Text).Order(StringComparer.Ordinal),
        ];
        Assert.Contains($"PWD={Path.Combine(_workspace, "real")}", Environment(1));
        Assert.Equal(Environment(1), Environment(0));
    }

    [Fact]
    public async Task Execute_APlainCommand_EndsWithItsOwnExitCode_AndAMissingOneWithBashs127()
    {
        var report = await ExecuteAsync(new RecipeSpec
        {
            Steps = [Step("false", "false") with { ContinueOnError = true }, Step("missing", "no-such-program-anywhere --flag")],
        });

        Assert.Equal([(StepStatus.Failed, 1), (StepStatus.Failed, 127)], report.Steps.Select(s => (s.Status, s.ExitCode ?? -1)));
        Assert.Contains(_observer.Lines, l => l is { Step: 1, Source: LogSource.Stderr } && l.Text.Contains("command not found", StringComparison.Ordinal));
    }

    public void Dispose() => Directory.Delete(_workspace, recursive: true);

    private sealed class Observer : IRunObserver
    {
        public ConcurrentQueue<LogLine> Lines { get; } = new();
        public ConcurrentQueue<StepReport> Steps { get; } = new();
        public Action? OnFirstLine { get; set; }

        public void OnLine(LogLine line)
        {
            Lines.Enqueue(line);
            if (line.Number == 1)
            {
                OnFirstLine?.Invoke();
            }
        }

        public void OnStep(StepReport report) => Steps.Enqueue(report);
    }
}
