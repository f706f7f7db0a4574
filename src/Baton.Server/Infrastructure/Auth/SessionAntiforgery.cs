using Microsoft.AspNetCore.Antiforgery;

namespace Baton.Server.Infrastructure.Auth;

/// <summary>
/// Anti-forgery tokens for UI sessions (double submit): the cookie half stays HttpOnly, the request half
/// is answered by POST and GET /api/session and copied into a cookie the page's scripts can read
/// (<c>XSRF-TOKEN</c>, the name Angular looks for). A write sent with the session cookie must echo it in
/// <c>X-CSRF-Token</c> (<see cref="SessionAntiforgeryMiddleware"/>); a page of another site can neither
/// read it nor set that header. Request tokens are bound to the session's caller.
/// </summary>
public static class SessionAntiforgery
{
    public const string HeaderName = "X-CSRF-Token";
    public const string ReadableCookieName = "XSRF-TOKEN";
    public const string CookieName = "baton.antiforgery";

    internal static void Configure(AntiforgeryOptions options)
    {
        options.HeaderName = HeaderName;
        options.Cookie.Name = CookieName;
        options.Cookie.HttpOnly = true;
        options.Cookie.SameSite = SameSiteMode.Strict;
        options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        options.Cookie.Path = "/";
    }

    /// <summary>A request token for the caller in <c>context.User</c>; stores the cookie half and the readable copy.</summary>
    public static string Issue(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var tokens = context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
        var requestToken = tokens.RequestToken ?? throw new InvalidOperationException("antiforgery issued no request token");
        context.Response.Cookies.Append(ReadableCookieName, requestToken, ReadableCookie(context));
        return requestToken;
    }

    /// <summary>Deletes the readable copy (the cookie half is harmless without a session and is reused by the next one).</summary>
    public static void Forget(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Cookies.Delete(ReadableCookieName, ReadableCookie(context));
    }

    private static CookieOptions ReadableCookie(HttpContext context) => new()
    {
        HttpOnly = false,
        SameSite = SameSiteMode.Strict,
        Secure = context.Request.IsHttps,
        Path = "/",
        IsEssential = true,
    };
}
