using System.Diagnostics;

namespace Baton.Agent.Processes;

/// <summary>
/// Runs one process as the leader of its own process group (via setsid), with stdin closed
/// and stdout/stderr read line by line on their own loops. Cancellation escalates
/// SIGINT -> SIGTERM -> SIGKILL to the whole group with bounded waits, so grandchildren that
/// ignore signals go too. When the process ends by itself, whatever it left running in its
/// group is killed: a step's background jobs do not outlive the step.
/// </summary>
public sealed class ProcessRunner(TimeProvider clock)
{
    private const string SetSid = "/usr/bin/setsid";

    /// <param name="onLine">Called for each line, from the two reader loops at once.</param>
    public async Task<ProcessResult> RunAsync(ProcessSpec spec, Action<OutputLine> onLine, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(onLine);
        using var process = Start(spec);
        // setsid execs the program in place, so its pid is also the new group's id.
        var groupId = process.Id;
        var readers = Task.WhenAll(
            LineReader.ReadAsync(process.StandardOutput.BaseStream, spec.MaxLineBytes, text => onLine(new(OutputSource.Stdout, text, clock.GetUtcNow()))),
            LineReader.ReadAsync(process.StandardError.BaseStream, spec.MaxLineBytes, text => onLine(new(OutputSource.Stderr, text, clock.GetUtcNow()))));

        var stopped = false;
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            stopped = true;
            await StopGroupAsync(process, groupId, spec);
        }
        // The step is over: anything still alive in its group (background jobs, orphans) goes now,
        // which also closes the pipes they held so the readers finish.
        Signals.ToGroup(groupId, Signals.Kill);
        await readers.WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        return new ProcessResult(process.ExitCode, stopped);
    }

    private static Process Start(ProcessSpec spec)
    {
        var start = new ProcessStartInfo(SetSid)
        {
            WorkingDirectory = spec.WorkingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(spec.FileName);
        foreach (var argument in spec.Arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment.Clear();
        foreach (var (name, value) in spec.Environment)
        {
            start.Environment[name] = value;
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {spec.FileName}");
        // Closed stdin: a step that reads input gets end-of-file instead of hanging forever.
        process.StandardInput.Close();
        return process;
    }

    /// <summary>SIGINT, then SIGTERM, then SIGKILL to the group, each after a bounded wait.</summary>
    private static async Task StopGroupAsync(Process process, int groupId, ProcessSpec spec)
    {
        foreach (var (signal, grace) in new[] { (Signals.Interrupt, spec.InterruptGrace), (Signals.Terminate, spec.TerminateGrace) })
        {
            if (!Signals.ToGroup(groupId, signal))
            {
                return;
            }
            using var wait = new CancellationTokenSource(grace);
            try
            {
                await process.WaitForExitAsync(wait.Token);
                return;
            }
            catch (OperationCanceledException)
            {
                // Still running after the grace period: escalate.
            }
        }
        Signals.ToGroup(groupId, Signals.Kill);
        await process.WaitForExitAsync(CancellationToken.None);
    }
}
