using System.CommandLine;

namespace Baton.Cli.Commands;

/// <summary>`baton up`: the whole of Baton on one machine, with SQLite in the data directory.</summary>
internal static class UpCommand
{
    private const int MaxAgents = 32;

    public static Command Create()
    {
        var urls = HostOptions.Urls();
        var dataDir = HostOptions.DataDir();
        var agents = new Option<int>("--agents")
        {
            Description = $"Agents to run in this process (labels {string.Join(", ", EmbeddedAgents.Labels)}); 0 for none",
            DefaultValueFactory = _ => 1,
        };
        agents.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 0 or > MaxAgents)
            {
                result.AddError($"--agents must be between 0 and {MaxAgents}");
            }
        });
        var command = new Command("up", "Run Baton on this machine: server, API, docs and agents; SQLite in the data directory")
        {
            urls, dataDir, agents,
        };
        command.SetAction((result, cancellationToken) => ServerRunner.RunAsync(
            HostOptions.Settings(result.GetValue(urls), result.GetValue(dataDir), forceSqlite: true), writePidFile: true,
            result.GetValue(agents), cancellationToken));
        return command;
    }
}
