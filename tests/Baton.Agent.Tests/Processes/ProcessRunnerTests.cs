using System.Collections.Concurrent;
using System.Globalization;
using Baton.Agent.Processes;
using Baton.Tests.Support;

namespace Baton.Agent.Tests.Processes;

/// <summary>Real bash processes: output, exit codes, closed stdin, and stopping whole process trees.</summary>
public sealed class ProcessRunnerTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly string _workspace = Directory.CreateTempSubdirectory("baton-proc-").FullName;
    private readonly ConcurrentQueue<OutputLine> _lines = new();
    private readonly ProcessRunner _runner = new(TimeProvider.System);

    private ProcessSpec Bash(string script) => new()
    {
        FileName = "/bin/bash",
        Arguments = ["-e", "-o", "pipefail", "-c", script],
        WorkingDirectory = _workspace,
        Environment = new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin", ["GREETING"] = "hello" },
        InterruptGrace = TimeSpan.FromMilliseconds(300),
        TerminateGrace = TimeSpan.FromMilliseconds(300),
    };

    private Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken = default) =>
        _runner.RunAsync(spec, _lines.Enqueue, cancellationToken);

    private List<string> Texts(OutputSource source) => [.. _lines.Where(l => l.Source == source).Select(l => l.Text)];

    [Fact]
    public async Task Run_CapturesStdoutAndStderrLines_AndTheExitCode()
    {
        var result = await RunAsync(Bash("echo one; echo two >&2; printf 'three\\r\\nfour'; exit 3"));

        Assert.Equal(new ProcessResult(3, Stopped: false), result);
        Assert.Equal(["one", "three", "four"], Texts(OutputSource.Stdout));
        Assert.Equal(["two"], Texts(OutputSource.Stderr));
    }

    [Fact]
    public async Task Run_UsesTheGivenEnvironmentAndDirectory_Only()
    {
        Environment.SetEnvironmentVariable("BATON_TEST_LEAK", "leaked");
        try
        {
            await RunAsync(Bash("echo \"$GREETING from $(pwd)\"; echo \"leak=${BATON_TEST_LEAK:-none}\""));
        }
        finally
        {
            Environment.SetEnvironmentVariable("BATON_TEST_LEAK", null);
        }

        Assert.Equal([$"hello from {_workspace}", "leak=none"], Texts(OutputSource.Stdout));
    }

    [Fact]
    public async Task Run_ClosesStdin_SoReadingStepsDoNotHang()
    {
        var result = await RunAsync(Bash("cat; echo after")).WaitAsync(Deadline);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["after"], Texts(OutputSource.Stdout));
    }

    [Fact]
    public async Task Cancel_StopsTheWholeTree_IncludingAGrandchildThatIgnoresSignals()
    {
        var pidFile = Path.Combine(_workspace, "grandchild.pid");
        using var cancel = new CancellationTokenSource();
        var run = RunAsync(Bash($"bash -c 'trap \"\" TERM INT; echo $$ > {pidFile}; while true; do sleep 0.1; done' & wait"), cancel.Token);
        var grandchild = await Eventually.ReturnsAsync(
            () => Task.FromResult(File.Exists(pidFile) && File.ReadAllText(pidFile).Trim() is { Length: > 0 } pid ? pid : null),
            Deadline, "the grandchild to start");

        await cancel.CancelAsync();
        var result = await run.WaitAsync(Deadline);

        Assert.True(result.Stopped);
        await Eventually.ReturnsAsync(() => Task.FromResult(IsAlive(grandchild) ? null : "gone"), Deadline, "the grandchild to be killed");
    }

    [Fact]
    public async Task Run_KillsBackgroundJobsLeftBehind_WhenTheProcessExits()
    {
        var pidFile = Path.Combine(_workspace, "background.pid");

        var result = await RunAsync(Bash($"sleep 1000 & echo $! > {pidFile}; echo done")).WaitAsync(Deadline);

        Assert.Equal(0, result.ExitCode);
        var background = File.ReadAllText(pidFile).Trim();
        await Eventually.ReturnsAsync(() => Task.FromResult(IsAlive(background) ? null : "gone"), Deadline, "the background job to be killed");
    }

    [Fact]
    public async Task Run_CutsOverlongLines_AndKeepsInvalidUtf8Readable()
    {
        var spec = Bash("head -c 100000 /dev/zero | tr '\\0' 'x'; echo; printf 'bad \\xff\\xfe bytes\\n'; echo end") with { MaxLineBytes = 1000 };

        await RunAsync(spec);

        var lines = Texts(OutputSource.Stdout);
        Assert.Equal(3, lines.Count);
        Assert.Equal(new string('x', 1000) + LineReader.CutMarker, lines[0]);
        Assert.Equal("bad \uFFFD\uFFFD bytes", lines[1]);
        Assert.Equal("end", lines[2]);
    }

    [Fact]
    public async Task Run_KeepsEveryLine_OfALargeOutput()
    {
        await RunAsync(Bash("seq 1 100000"));

        var lines = Texts(OutputSource.Stdout);
        Assert.Equal(100_000, lines.Count);
        Assert.Equal("100000", lines[^1]);
        Assert.Equal(Enumerable.Range(1, 100_000).Select(n => n.ToString(CultureInfo.InvariantCulture)), lines);
    }

    public void Dispose() => Directory.Delete(_workspace, recursive: true);

    private static bool IsAlive(string pid)
    {
        // A zombie awaiting its reaper is as good as gone: it runs nothing and holds nothing.
        var stat = $"/proc/{pid}/stat";
        return File.Exists(stat) && File.ReadAllText(stat).Split(") ")[^1][0] != 'Z';
    }
}
