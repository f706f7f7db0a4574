namespace Baton.Agent.Processes;

/// <summary>What to start and how to stop it (one record, no bool-flag overloads).</summary>
public sealed record ProcessSpec
{
    public required string FileName { get; init; }
    public IReadOnlyList<string> Arguments { get; init; } = [];
    public required string WorkingDirectory { get; init; }
    /// <summary>The whole environment of the process; nothing is inherited beyond it.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();
    /// <summary>How long the process group gets after SIGINT before SIGTERM.</summary>
    public TimeSpan InterruptGrace { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>How long after SIGTERM before SIGKILL.</summary>
    public TimeSpan TerminateGrace { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>Longer lines are cut and marked, so one line cannot exhaust memory.</summary>
    public int MaxLineBytes { get; init; } = 64 * 1024;
}

public enum OutputSource
{
    Stdout,
    Stderr,
}

/// <summary>One line of output, stamped when it was read.</summary>
public sealed record OutputLine(OutputSource Source, string Text, DateTimeOffset At);

/// <summary>How a process ended. <see cref="Stopped"/> is true when it was ended by cancellation.</summary>
public sealed record ProcessResult(int ExitCode, bool Stopped);
