namespace Baton.Cli.Client;

/// <summary>What the client commands exit with; docs/cli.md lists them for scripts.</summary>
internal static class ExitCodes
{
    /// <summary>Done as asked; with --follow, the run succeeded.</summary>
    public const int Success = 0;
    /// <summary>The followed run failed (a step exited non-zero, or it was lost for good).</summary>
    public const int RunFailed = 1;
    /// <summary>Bad arguments, an invalid recipe file, or a request the server refused as invalid.</summary>
    public const int Usage = Agent.Cli.BatonCommandLine.UsageError;
    /// <summary>The followed run was cancelled, or its approval rejected.</summary>
    public const int RunCancelled = 3;
    public const int RunTimedOut = 4;
    /// <summary>No token, or the server refused it (401) or its role (403).</summary>
    public const int NotAllowed = 5;
    /// <summary>The server could not be reached, or answered with a server error.</summary>
    public const int ServerUnavailable = 6;
    /// <summary>Ctrl-C stopped following; the run was left running.</summary>
    public const int Interrupted = 130;
}
