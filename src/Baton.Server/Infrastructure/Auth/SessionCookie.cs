using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Baton.Server.Infrastructure.Auth;

/// <summary>
/// The UI session: a token exchanged once (POST /api/session) for an encrypted cookie that the page's
/// scripts cannot read (HttpOnly), that no other site's page makes the browser send (SameSite=Strict),
/// and that is Secure whenever the request came over HTTPS. It carries the token's claims, and
/// <see cref="SessionCookieEvents"/> checks the token on every request.
/// </summary>
public static class SessionCookie
{
    public const string SchemeName = "Session";
    public const string CookieName = "baton.session";

    internal static void Configure(CookieAuthenticationOptions options)
    {
        options.Cookie.Name = CookieName;
        options.Cookie.HttpOnly = true;
        options.Cookie.SameSite = SameSiteMode.Strict;
        // `baton up` serves plain http on loopback; behind TLS the cookie is Secure.
        options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        options.Cookie.Path = "/";
        options.Cookie.IsEssential = true;
        // Renewal is done by SessionCookieEvents, which caps it at the token's expiry; the handler's own would not.
        options.SlidingExpiration = false;
        options.EventsType = typeof(SessionCookieEvents);
    }

    /// <summary>The session's principal: the same claims as the bearer caller's, typed by this scheme (see <see cref="CredentialSchemes.IsSession"/>).</summary>
    public static ClaimsPrincipal From(ClaimsPrincipal bearer)
    {
        ArgumentNullException.ThrowIfNull(bearer);
        return new ClaimsPrincipal(new ClaimsIdentity(bearer.Claims, SchemeName));
    }

    public static Task SignInAsync(HttpContext context, ClaimsPrincipal session, DateTimeOffset now, DateTimeOffset expiresAt) =>
        context.SignInAsync(SchemeName, session, new AuthenticationProperties
        {
            IsPersistent = true,
            IssuedUtc = now,
            ExpiresUtc = expiresAt,
            AllowRefresh = true,
        });

    /// <summary>Deletes the session cookie and the readable anti-forgery copy.</summary>
    public static async Task SignOutAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        await context.SignOutAsync(SchemeName);
        SessionAntiforgery.Forget(context);
    }
}
