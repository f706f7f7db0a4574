using Baton.Cli.Commands;

// The one `baton` executable: each command lives in Commands/.
var root = new System.CommandLine.RootCommand("Baton: self-hosted software delivery orchestrator")
{
    UpCommand.Create(),
    ServerCommand.Create(),
    DbCommand.Create(),
    SeedCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
