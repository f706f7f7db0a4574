namespace Baton.Cli.Output;

/// <summary>How a client command prints what it got: for people, or for scripts.</summary>
internal enum OutputFormat
{
    /// <summary>Tables and short lines (Spectre.Console); colours only on a terminal.</summary>
    Table,
    /// <summary>The server's JSON, indented, and nothing else on stdout; messages go to stderr.</summary>
    Json,
}
