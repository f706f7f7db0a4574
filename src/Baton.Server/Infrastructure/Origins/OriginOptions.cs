namespace Baton.Server.Infrastructure.Origins;

/// <summary>
/// Which web origins besides the server's own may call the API from a browser (CORS) and open its
/// live streams (WebSocket), e.g. <c>BATON_Origins__Allowed=https://ci.example.com,https://ops.example.com</c>.
/// Empty by default: same origin only.
/// </summary>
public sealed class OriginOptions
{
    public const string Section = "Origins";

    /// <summary>Comma-separated origins: scheme, host and port, nothing else.</summary>
    public string Allowed { get; set; } = "";

    public IReadOnlyList<string> List() => [.. Entries().Select(Normalise)];

    public string? Validate()
    {
        foreach (var origin in Entries())
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
                || uri.PathAndQuery != "/" || origin.EndsWith('/') || uri.UserInfo.Length > 0 || uri.Fragment.Length > 0)
            {
                return $"BATON_{Section}__Allowed: '{origin}' is not an origin (scheme://host[:port], no path, e.g. https://ci.example.com)";
            }
        }
        return null;
    }

    private string[] Entries() => Allowed.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string Normalise(string origin) => new Uri(origin).GetLeftPart(UriPartial.Authority);
}
