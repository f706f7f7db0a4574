using Baton.Agent.Cli;

// The native agent: its root command is `baton agent`'s, options, messages and exit codes alike (Baton.Agent/Cli).
return await BatonCommandLine.InvokeAsync(AgentCommand.CreateRoot(), args);
