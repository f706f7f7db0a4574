using Baton.Agent.Cli;
using Baton.Cli.Commands;
using Baton.Cli.Commands.Client;

// The one `baton` executable: each command lives in Commands/ (running Baton) or Commands/Client/ (using it).
var root = new System.CommandLine.RootCommand("Baton: self-hosted software delivery orchestrator")
{
    UpCommand.Create(),
    ServerCommand.Create(),
    DbCommand.Create(),
    SeedCommand.Create(),
    AgentCommand.Create(),
    ProjectsCommand.Create(),
    VisionCommand.Create(),
    RequirementsCommand.Create(),
    WorkItemsCommand.Create(),
    RecipeCommand.Create(),
    RunsCommand.Create(),
    StartRunCommands.Run(),
    StartRunCommands.Exec(),
    LogsCommand.Create(),
    PlansCommand.Create(),
    SchedulesCommand.Create(),
    TokensCommand.Create(),
    AgentsCommand.Create(),
    QueueCommand.Create(),
    CompletionCommand.Create(),
};
foreach (var command in LoginCommands.Create())
{
    root.Subcommands.Add(command);
}
// The same invocation as the native baton-agent's: no forced exit after SIGTERM, a command line that does not parse exits 2.
return await BatonCommandLine.InvokeAsync(root, args);
