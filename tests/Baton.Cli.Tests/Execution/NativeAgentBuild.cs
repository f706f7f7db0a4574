using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Baton.Cli.Tests.Execution;

/// <summary>
/// The native baton-agent (src/Baton.Agent.Cli, Native AOT) for the tests that use it: the one `make test` published
/// before the tests started (<see cref="PrebuiltVariable"/>), or else published here once, into a directory of its own.
/// A publish that fails or runs past its deadline fails those tests: a native agent that does not build is a broken
/// deliverable, not a missing tool.
/// </summary>
public sealed class NativeAgentBuild : IAsyncLifetime
{
    /// <summary>
    /// Set by scripts/test.sh: the compiler's minute of both cores, spent beside the other test projects, slowed them
    /// enough that a `baton up` missed its 60 s start-up deadline, so `make test` publishes first and says where.
    /// </summary>
    public const string PrebuiltVariable = "BATON_NATIVE_AGENT";

    /// <summary>About two minutes on 2 cores with nothing else running; the rest of the suite runs beside it.</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(10);

    private readonly string _output = Directory.CreateTempSubdirectory("baton-agent-native-").FullName;

    private readonly string? _prebuilt = Environment.GetEnvironmentVariable(PrebuiltVariable) is { Length: > 0 } path ? path : null;

    public string Executable => _prebuilt ?? Path.Combine(_output, "baton-agent");

    /// <summary>How long the publish took (the test's output says it).</summary>
    public TimeSpan Took { get; private set; }

    public async Task InitializeAsync()
    {
        if (_prebuilt is not null)
        {
            if (!File.Exists(_prebuilt))
            {
                throw new FileNotFoundException($"{PrebuiltVariable} names {_prebuilt}, which does not exist");
            }
            return;
        }
        // The configuration the tests were built in: the agent's libraries are then up to date, and only the compiler runs.
        var project = Path.Combine(RepositoryRoot(), "src", "Baton.Agent.Cli");
        var start = new ProcessStartInfo("dotnet", $"publish \"{project}\" -c {Configuration} -r linux-x64 -o \"{_output}\" -nologo")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var output = new StringBuilder();
        var clock = Stopwatch.StartNew();
        using var publish = Process.Start(start)!;
        publish.OutputDataReceived += (_, e) => Append(output, e.Data);
        publish.ErrorDataReceived += (_, e) => Append(output, e.Data);
        publish.BeginOutputReadLine();
        publish.BeginErrorReadLine();
        using var deadline = new CancellationTokenSource(Deadline);
        try
        {
            await publish.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            publish.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet publish of baton-agent ran past {Deadline.TotalMinutes:0} min:\n{Text(output)}");
        }
        Took = clock.Elapsed;
        if (publish.ExitCode != 0 || !File.Exists(Executable))
        {
            throw new InvalidOperationException($"dotnet publish of baton-agent failed ({publish.ExitCode}):\n{Text(output)}");
        }
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_output, recursive: true);
        return Task.CompletedTask;
    }

    public string Describe() => _prebuilt is not null
        ? $"baton-agent published by make test: {_prebuilt}"
        : string.Create(CultureInfo.InvariantCulture, $"baton-agent published in {Took.TotalSeconds:0} s");

#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Baton.slnx")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException($"no Baton.slnx above {AppContext.BaseDirectory}");
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    private static string Text(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}
