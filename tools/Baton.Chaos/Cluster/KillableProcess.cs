using System.Diagnostics;

namespace Baton.Chaos.Cluster;

/// <summary>
/// One `baton` process (a server replica or an agent) whose output goes to a log file of its own,
/// drained as it comes so it never blocks on a pipe and a failed chaos run can be read afterwards. Killing it is
/// <c>kill -9</c>: no shutdown hook, no goodbye, as when a machine dies.
/// </summary>
public sealed class KillableProcess : IDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;

    private KillableProcess(Process process, string name, StreamWriter log)
    {
        _process = process;
        _log = log;
        Name = name;
    }

    public string Name { get; }

    public bool HasExited => _process.HasExited;

    public static KillableProcess Start(string batonDll, string name, string arguments, IReadOnlyDictionary<string, string> environment, string logDirectory)
    {
        // Started directly, not through a shell: a shell would drop variables whose names hold dots (logging categories).
        var start = new ProcessStartInfo("dotnet", $"\"{batonDll}\" {arguments}")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = logDirectory,
        };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        var process = Process.Start(start)!;
        var log = new StreamWriter(Path.Combine(logDirectory, $"{name}.log"), append: true) { AutoFlush = true };
        var gate = new Lock();
        process.OutputDataReceived += (_, line) => Write(log, gate, line.Data);
        process.ErrorDataReceived += (_, line) => Write(log, gate, line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new KillableProcess(process, name, log);
    }

    private static void Write(StreamWriter log, Lock gate, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (gate)
        {
            log.WriteLine(line);
        }
    }

    /// <summary>SIGKILL, and wait until the process is gone.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }
        await _process.WaitForExitAsync();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        // Without a timeout this also waits until the output is drained, so the log is whole before it is closed.
        _process.WaitForExit();
        _process.Dispose();
        _log.Dispose();
    }
}
