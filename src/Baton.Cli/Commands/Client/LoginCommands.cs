using System.CommandLine;
using Baton.Cli.Client;
using Baton.Cli.Output;
using Baton.Server.Features.Projects;
using Baton.Server.Features.Sessions;
using Spectre.Console;

namespace Baton.Cli.Commands.Client;

/// <summary>`baton login`, `baton logout`, `baton whoami`: the saved server, token and default project.</summary>
internal static class LoginCommands
{
    public static IEnumerable<Command> Create()
    {
        var tokenStdin = new Option<bool>("--token-stdin") { Description = "Read the token from standard input (keeps it out of the shell's history)" };
        yield return ClientCommand.Create("login", "Check a token against a server and save both (and a default project) for later commands",
            (call, cancellationToken) => LoginAsync(call, call.Value(tokenStdin), cancellationToken), project: true, tokenStdin);
        yield return ClientCommand.Create("logout", "Forget the saved token (the token itself stays valid: baton tokens revoke ends it)",
            (call, _) => Task.FromResult(Logout(call)));
        yield return ClientCommand.Create("whoami", "Who the token is: its name, role and expiry", WhoAmIAsync);
    }

    private static async Task<int> LoginAsync(ClientCall call, bool tokenFromStdin, CancellationToken cancellationToken)
    {
        var token = tokenFromStdin ? (await Console.In.ReadToEndAsync(cancellationToken)).Trim() : call.Settings.Token ?? Ask(call);
        if (token.Length == 0)
        {
            throw new CliException(ExitCodes.Usage, "the token is empty");
        }
        var settings = call.Settings with { Token = token };
        using var api = new BatonApi(settings.Server, token);
        var session = await api.GetAsync<SessionDto>("api/session", cancellationToken);
        if (settings.Project is { } project)
        {
            await api.GetAsync<ProjectDto>($"api/projects/{BatonApi.Escape(project)}", cancellationToken);
        }
        var path = ClientConfig.DefaultPath();
        new ClientConfig(settings.Server.ToString(), token, settings.Project).Save(path);
        call.Printer.Show(session, s => $"Logged in to {settings.Server} as {s.Name} ({Tables.Wire(s.Role)})"
            + (settings.Project is null ? "" : $", default project {settings.Project}") + $". Saved in {path}.");
        return ExitCodes.Success;
    }

    private static string Ask(ClientCall call)
    {
        if (Console.IsInputRedirected)
        {
            throw new CliException(ExitCodes.Usage, "no token: pass --token, --token-stdin or set BATON_TOKEN");
        }
        return call.Printer.Console.Prompt(new TextPrompt<string>($"Token for {call.Settings.Server}:").Secret());
    }

    private static int Logout(ClientCall call)
    {
        var path = ClientConfig.DefaultPath();
        var saved = ClientConfig.Load(path);
        if (saved.Token is null)
        {
            call.Printer.Result(new { loggedOut = false, server = saved.Server }, "Not logged in; nothing to forget.");
            return ExitCodes.Success;
        }
        (saved with { Token = null }).Save(path);
        call.Printer.Result(new { loggedOut = true, server = saved.Server }, $"Forgot the token for {saved.Server} (saved in {path}).");
        return ExitCodes.Success;
    }

    private static async Task<int> WhoAmIAsync(ClientCall call, CancellationToken cancellationToken)
    {
        var session = await call.Api.GetAsync<SessionDto>("api/session", cancellationToken);
        call.Printer.Show(session, s => Tables.Fields(("server", call.Settings.Server), ("name", s.Name), ("role", Tables.Wire(s.Role)),
            ("expires", s.ExpiresAt is null ? "never" : Tables.Time(s.ExpiresAt)), ("project", call.Settings.Project)));
        return ExitCodes.Success;
    }
}
