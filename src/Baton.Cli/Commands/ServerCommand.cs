using System.CommandLine;

namespace Baton.Cli.Commands;

/// <summary>`baton server`: one server replica; storage from configuration (e.g. PostgreSQL).</summary>
internal static class ServerCommand
{
    public static Command Create()
    {
        var urls = HostOptions.Urls();
        var dataDir = HostOptions.DataDir();
        var command = new Command("server", "Run a Baton server with storage from configuration (BATON_Storage__Provider, BATON_Storage__ConnectionString)")
        {
            urls, dataDir,
        };
        command.SetAction((result, cancellationToken) => ServerRunner.RunAsync(
            HostOptions.Settings(result.GetValue(urls), result.GetValue(dataDir), forceSqlite: false), writePidFile: false,
            embeddedAgents: 0, cancellationToken));
        return command;
    }
}
