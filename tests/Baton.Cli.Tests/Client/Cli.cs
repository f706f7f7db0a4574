using System.Diagnostics;
using System.Text;

namespace Baton.Cli.Tests.Client;

/// <summary>
/// Runs the real `baton` executable as a person's shell would: its own config file (never the machine's), and the
/// environment given. Each call waits for the process with a deadline.
/// </summary>
public sealed class Cli(IReadOnlyDictionary<string, string> environment)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    public static string ExecutablePath { get; } = Path.Combine(AppContext.BaseDirectory, "baton.dll");

    /// <summary>The config file this shell's commands use (BATON_CONFIG), when it has one.</summary>
    public string ConfigPath => environment["BATON_CONFIG"];

    public Task<CliResult> RunAsync(params string[] arguments) => RunAsync(arguments, null);

    /// <summary>Runs baton; <paramref name="whileRunning"/> gets the process (to signal it or write to its stdin) while it runs.</summary>
    public async Task<CliResult> RunAsync(IReadOnlyList<string> arguments, Func<Process, StringBuilder, Task>? whileRunning,
        string? workingDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        // A shell starts a command in the foreground with Ctrl-C's signal at its default. A suite started in the background
        // (a non-interactive `... &`) would pass SIGINT on ignored, and .NET keeps an ignored SIGINT ignored: the Ctrl-C
        // tests would then wait for nothing. env resets it, then runs dotnet in its own place (the same pid).
        var start = new ProcessStartInfo("env")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        start.ArgumentList.Add("--default-signal=INT");
        start.ArgumentList.Add("dotnet");
        start.ArgumentList.Add(ExecutablePath);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        // Nothing from the test runner's own environment may steer the client.
        foreach (var name in new[] { "BATON_SERVER", "BATON_TOKEN", "BATON_PROJECT", "BATON_CONFIG" })
        {
            start.Environment.Remove(name);
        }
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start)!;
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => Append(stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(stderr, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var deadline = new CancellationTokenSource(Deadline);
        try
        {
            if (whileRunning is not null)
            {
                await whileRunning(process, stdout);
            }
            else
            {
                process.StandardInput.Close();
            }
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            // Waits for the output to drain, so the message has the last line even when it has no newline (a prompt).
            process.WaitForExit();
            throw new TimeoutException($"baton {string.Join(' ', arguments)} did not end within {Deadline.TotalSeconds:0} s\n{stdout}\n{stderr}");
        }
        process.WaitForExit();
        return new CliResult(process.ExitCode, Read(stdout), Read(stderr));
    }

    private static void Append(StringBuilder buffer, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (buffer)
        {
            buffer.AppendLine(line);
        }
    }

    private static string Read(StringBuilder buffer)
    {
        lock (buffer)
        {
            return buffer.ToString();
        }
    }
}
