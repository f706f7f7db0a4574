namespace Baton.Cli.Client;

/// <summary>A failure the person can act on: printed as one message (no stack trace), exiting with <see cref="ExitCode"/>.</summary>
internal class CliException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
