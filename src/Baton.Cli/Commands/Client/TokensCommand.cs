using System.CommandLine;
using System.Globalization;
using Baton.Cli.Client;
using Baton.Cli.Output;
using Baton.Contracts.Paging;
using Baton.Core.Access;
using Baton.Server.Features.Tokens;
using Spectre.Console;

namespace Baton.Cli.Commands.Client;

/// <summary>`baton tokens list | create | revoke` (admin only): the secret is shown once, when it is created.</summary>
internal static class TokensCommand
{
    public static Command Create()
    {
        var limit = Paging.Limit();
        var name = new Option<string>("--name") { Description = "Who or what uses it (a person, a CI job, an agent host)", Required = true };
        var role = new Option<string>("--role") { Description = "What it may do", Required = true };
        role.AcceptOnlyFromAmong([.. Enum.GetValues<Role>().Select(r => Tables.Wire(r))]);
        var expires = new Option<DateTimeOffset?>("--expires")
        {
            Description = "When it stops working (2027-01-01, local time unless an offset is given; default: never)",
            HelpName = "TIME",
            CustomParser = ParseTime,
        };
        var id = new Argument<long>("token") { Description = "Token id (baton tokens list)" };
        return ClientCommand.Group("tokens", "API tokens: list, create, revoke (admin)",
            ClientCommand.Create("list", "List tokens (never their secrets)", (call, token) => ListAsync(call, call.Value(limit), token), symbols: limit),
            ClientCommand.Create("create", "Create a token and print its secret, once", (call, token) => CreateAsync(call, new CreateTokenRequest
            {
                Name = call.Value(name),
                Role = Enum.Parse<Role>(call.Value(role), ignoreCase: true),
                ExpiresAt = call.Value(expires),
            }, token), symbols: [name, role, expires]),
            ClientCommand.Create("revoke", "Revoke a token: it stops working at once", (call, token) => RevokeAsync(call, call.Value(id), token), symbols: id));
    }

    private static DateTimeOffset? ParseTime(System.CommandLine.Parsing.ArgumentResult result)
    {
        var text = result.Tokens.Single().Value;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var time))
        {
            return time;
        }
        result.AddError($"'{text}' is not a date or time (2027-01-01, 2027-01-01T12:00:00+02:00)");
        return null;
    }

    private static async Task<int> ListAsync(ClientCall call, int limit, CancellationToken cancellationToken)
    {
        var page = await call.Api.GetAsync<Page<TokenDto>>($"api/tokens?limit={limit}", cancellationToken);
        call.Printer.Show(page, p => p.Items.Aggregate(Tables.Of("ID", "NAME", "ROLE", "PREFIX", "CREATED", "EXPIRES", "LAST USED", "STATE"),
            (table, t) => table.Row(t.Id, t.Name, Tables.Wire(t.Role), t.Prefix, $"{Tables.Time(t.CreatedAt)} by {t.CreatedBy}",
                t.ExpiresAt is null ? "never" : Tables.Time(t.ExpiresAt), Tables.Time(t.LastUsedAt), State(t))));
        Paging.NoteMore(call, page);
        return ExitCodes.Success;
    }

    private static async Task<int> CreateAsync(ClientCall call, CreateTokenRequest request, CancellationToken cancellationToken)
    {
        var created = await call.Api.PostAsync<CreatedTokenDto>("api/tokens", request, cancellationToken);
        if (call.Printer.Json)
        {
            call.Printer.WriteJson(created.Json);
            return ExitCodes.Success;
        }
        var t = created.Value.Token;
        call.Printer.Console.Write(Tables.Fields(("token", t.Id), ("name", t.Name), ("role", Tables.Wire(t.Role)), ("prefix", t.Prefix),
            ("expires", t.ExpiresAt is null ? "never" : Tables.Time(t.ExpiresAt))));
        call.Printer.Console.WriteLine();
        call.Printer.Console.MarkupLine("[bold yellow]The secret, shown this once (only its hash is kept): store it now.[/]");
        call.Printer.Console.WriteLine();
        // Written as is, on its own line, so it can be copied whole (Spectre would wrap it in a narrow terminal).
        Console.Out.WriteLine(created.Value.Secret);
        Console.Out.Flush();
        return ExitCodes.Success;
    }

    private static async Task<int> RevokeAsync(ClientCall call, long id, CancellationToken cancellationToken)
    {
        await call.Api.DeleteAsync<object>($"api/tokens/{id.ToString(CultureInfo.InvariantCulture)}", cancellationToken);
        call.Printer.Result(new { revoked = true, id }, $"Revoked token {id}: it no longer works.");
        return ExitCodes.Success;
    }

    private static Text State(TokenDto t) => t.RevokedAt is { } revoked
        ? new Text($"revoked {Tables.Time(revoked)}", new Style(Color.Red))
        : new Text("active", new Style(Color.Green));
}
