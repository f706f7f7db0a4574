using System.Security.Claims;

namespace Baton.Server.Infrastructure.Auth;

/// <summary>
/// The default scheme: a policy scheme that hands each request to exactly one real scheme, so a
/// caller is never two principals at once and a refusal is written once, by the scheme that was used.
/// An <c>Authorization</c> header means the bearer token (a bad one is refused, never passed over for a
/// cookie); else the UI session cookie when the browser sends one; else the bearer scheme again, so a
/// request without any credential gets the same 401 as before sessions existed.
/// </summary>
public static class CredentialSchemes
{
    public const string Default = "BearerOrSession";

    public static string Select(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var bearer = context.Request.Headers.Authorization.ToString().Length > 0
            || !context.Request.Cookies.ContainsKey(SessionCookie.CookieName);
        return bearer ? TokenAuthenticationHandler.SchemeName : SessionCookie.SchemeName;
    }

    /// <summary>Whether the caller was authenticated by the session cookie (its identity is typed by that scheme).</summary>
    public static bool IsSession(this ClaimsPrincipal user) =>
        user?.Identity is { IsAuthenticated: true, AuthenticationType: SessionCookie.SchemeName };
}
