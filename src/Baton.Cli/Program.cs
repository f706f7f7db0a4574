using Baton.Cli.Commands;

// The one `baton` executable: each command lives in Commands/.
var root = new System.CommandLine.RootCommand("Baton: self-hosted software delivery orchestrator")
{
    UpCommand.Create(),
    ServerCommand.Create(),
    DbCommand.Create(),
    SeedCommand.Create(),
    AgentCommand.Create(),
};
// No forced exit after SIGTERM: the server and agents shut down gracefully on their own (agents drain
// their runs first), which takes longer than System.CommandLine's default two-second allowance.
return await root.Parse(args).InvokeAsync(new System.CommandLine.InvocationConfiguration { ProcessTerminationTimeout = null });
