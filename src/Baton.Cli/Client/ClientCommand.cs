using System.CommandLine;
using Baton.Cli.Output;

namespace Baton.Cli.Client;

/// <summary>
/// Builds the client commands: each gets <c>--server</c>, <c>--token</c>, <c>--output</c> (and <c>--project</c> when it
/// acts on one), and runs through one guard that turns failures into a message on stderr and an exit code.
/// </summary>
internal static class ClientCommand
{
    public static Command Create(string name, string description, Func<ClientCall, CancellationToken, Task<int>> action,
        bool project = false, params Symbol[] symbols)
    {
        ArgumentNullException.ThrowIfNull(action);
        var command = new Command(name, description);
        foreach (var symbol in symbols)
        {
            switch (symbol)
            {
                case Argument argument:
                    command.Arguments.Add(argument);
                    break;
                case Option option:
                    command.Options.Add(option);
                    break;
                default:
                    throw new ArgumentException($"{symbol.Name} is neither an argument nor an option", nameof(symbols));
            }
        }
        var server = new Option<string?>("--server") { Description = $"Baton server URL (default: ${ClientSettings.ServerVariable}, else the one saved by baton login)", HelpName = "URL" };
        var token = new Option<string?>("--token") { Description = $"API token (default: ${ClientSettings.TokenVariable}, else the saved one)" };
        var output = Output();
        var projectOption = project
            ? new Option<string?>("--project", "-p") { Description = $"Project key (default: ${ClientSettings.ProjectVariable}, else the saved default)", HelpName = "KEY" }
            : null;
        command.Options.Add(server);
        command.Options.Add(token);
        command.Options.Add(output);
        if (projectOption is not null)
        {
            command.Options.Add(projectOption);
        }
        command.SetAction((parse, cancellationToken) => GuardAsync(() =>
        {
            var settings = ClientSettings.Resolve(parse.GetValue(server), parse.GetValue(token),
                projectOption is null ? null : parse.GetValue(projectOption), ClientConfig.Load(ClientConfig.DefaultPath()));
            var call = new ClientCall(parse, settings, parse.GetValue(output) == "json" ? OutputFormat.Json : OutputFormat.Table);
            return RunAsync(call, action, cancellationToken);
        }));
        return command;
    }

    /// <summary>`-o, --output table|json`: the one spelling every command that prints has.</summary>
    public static Option<string> Output()
    {
        var output = new Option<string>("--output", "-o") { Description = "table (for people) or json (for scripts)", DefaultValueFactory = _ => "table" };
        output.AcceptOnlyFromAmong("table", "json");
        return output;
    }

    /// <summary>A command group (`baton runs`, `baton tokens`): a noun whose verbs are the subcommands.</summary>
    public static Command Group(string name, string description, params Command[] verbs)
    {
        var group = new Command(name, description);
        foreach (var verb in verbs)
        {
            group.Subcommands.Add(verb);
        }
        return group;
    }

    private static async Task<int> RunAsync(ClientCall call, Func<ClientCall, CancellationToken, Task<int>> action, CancellationToken cancellationToken)
    {
        using (call)
        {
            return await action(call, cancellationToken);
        }
    }

    /// <summary>Failures a person can act on become one message on stderr; nothing prints a stack trace.</summary>
    public static async Task<int> GuardAsync(Func<Task<int>> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        try
        {
            return await action();
        }
        catch (CliException exception)
        {
            await Console.Error.WriteLineAsync($"baton: {exception.Message}");
            return exception.ExitCode;
        }
        catch (IOException exception)
        {
            await Console.Error.WriteLineAsync($"baton: {exception.Message}");
            return ExitCodes.Usage;
        }
        catch (UnauthorizedAccessException exception)
        {
            await Console.Error.WriteLineAsync($"baton: {exception.Message}");
            return ExitCodes.Usage;
        }
    }
}
