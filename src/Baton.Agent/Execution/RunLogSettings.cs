namespace Baton.Agent.Execution;

/// <summary>
/// How a run's log is numbered and bounded: the server hands both out with the claim, because a
/// retried run continues the numbering of its earlier attempts and shares their byte budget's rule.
/// </summary>
/// <param name="FirstLine">The number of the run's first line (lines of earlier attempts come before it).</param>
/// <param name="MaxLogBytes">Output (stdout and stderr) past this many bytes is dropped, with one system line saying so.</param>
public sealed record RunLogSettings(long FirstLine, long MaxLogBytes)
{
    /// <summary>The run's secrets: every step gets them as variables, and their values never leave the agent in a line.</summary>
    public IReadOnlyDictionary<string, string> Secrets { get; init; } = new Dictionary<string, string>();

    /// <summary>Numbering from 1, no limit: a run executed outside the agent protocol.</summary>
    public static RunLogSettings Default { get; } = new(1, long.MaxValue);
}
