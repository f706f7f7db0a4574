namespace Baton.Cli.Client;

/// <summary>
/// Where a client command finds the server, token and project: its options, else BATON_SERVER, BATON_TOKEN and
/// BATON_PROJECT, else the file <c>baton login</c> wrote. The saved token and project are used only for the
/// saved server, so pointing a command at another server never sends it this server's token.
/// </summary>
internal sealed record ClientSettings(Uri Server, string? Token, string? Project)
{
    public const string ServerVariable = "BATON_SERVER";
    public const string TokenVariable = "BATON_TOKEN";
    public const string ProjectVariable = "BATON_PROJECT";

    public static ClientSettings Resolve(string? server, string? token, string? project, ClientConfig saved)
    {
        ArgumentNullException.ThrowIfNull(saved);
        var serverText = server ?? Variable(ServerVariable) ?? saved.Server
            ?? throw new CliException(ExitCodes.NotAllowed, $"no server: pass --server URL, set {ServerVariable}, or run baton login");
        var address = ParseServer(serverText);
        var sameAsSaved = saved.Server is not null && ParseServer(saved.Server) == address;
        return new ClientSettings(address,
            token ?? Variable(TokenVariable) ?? (sameAsSaved ? saved.Token : null),
            project ?? Variable(ProjectVariable) ?? (sameAsSaved ? saved.Project : null));
    }

    /// <summary>An http(s) URL; a path in it is kept (a server behind a proxy prefix), with one trailing slash so API paths append.</summary>
    public static Uri ParseServer(string text)
    {
        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new CliException(ExitCodes.Usage, $"'{text}' is not a server URL (http://host:port or https://host)");
        }
        return new Uri(uri.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/");
    }

    public string RequireToken() => Token
        ?? throw new CliException(ExitCodes.NotAllowed, $"no token for {Server}: pass --token, set {TokenVariable}, or run baton login");

    public string RequireProject() => Project
        ?? throw new CliException(ExitCodes.Usage, $"no project: pass --project KEY, set {ProjectVariable}, or save one with baton login --project KEY");

    private static string? Variable(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
}
