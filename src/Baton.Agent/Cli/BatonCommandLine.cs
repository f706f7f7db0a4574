using System.CommandLine;

namespace Baton.Agent.Cli;

/// <summary>How both executables, <c>baton</c> and the native <c>baton-agent</c>, run their command line.</summary>
public static class BatonCommandLine
{
    /// <summary>What was typed must be fixed: a command line that does not parse, or options that are not valid.</summary>
    public const int UsageError = 2;

    public static async Task<int> InvokeAsync(RootCommand root, string[] args)
    {
        ArgumentNullException.ThrowIfNull(root);
        // No forced exit after SIGTERM: the server and agents shut down gracefully on their own (agents drain
        // their runs first), which takes longer than System.CommandLine's default two-second allowance.
        var parse = root.Parse(args);
        var exitCode = await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
        // A command line that does not parse is a usage error (2), as for the other usage errors, not a generic failure.
        return parse.Errors.Count > 0 ? UsageError : exitCode;
    }
}
