using Baton.Cli.Client;
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
// No forced exit after SIGTERM: the server and agents shut down gracefully on their own (agents drain
// their runs first), which takes longer than System.CommandLine's default two-second allowance.
var parse = root.Parse(args);
var exitCode = await parse.InvokeAsync(new System.CommandLine.InvocationConfiguration { ProcessTerminationTimeout = null });
// A command line that does not parse is a usage error (2), as for the other usage errors, not a generic failure.
return parse.Errors.Count > 0 ? ExitCodes.Usage : exitCode;
