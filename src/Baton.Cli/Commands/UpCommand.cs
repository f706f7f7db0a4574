using System.CommandLine;

namespace Baton.Cli.Commands;

/// <summary>`baton up`: the whole of Baton on one machine, with SQLite in the data directory.</summary>
internal static class UpCommand
{
    public static Command Create()
    {
        var urls = HostOptions.Urls();
        var dataDir = HostOptions.DataDir();
        var command = new Command("up", "Run Baton on this machine: server, API, docs; SQLite in the data directory") { urls, dataDir };
        command.SetAction((result, cancellationToken) => ServerRunner.RunAsync(
            HostOptions.Settings(result.GetValue(urls), result.GetValue(dataDir), forceSqlite: true), writePidFile: true, cancellationToken));
        return command;
    }
}
