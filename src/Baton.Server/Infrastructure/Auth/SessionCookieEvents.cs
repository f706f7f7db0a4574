using Baton.Persistence;
using Baton.Server.Infrastructure.Audit;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Baton.Server.Infrastructure.Auth;

/// <summary>
/// What the session cookie does besides decrypting itself. Every request reads its token again by id (one
/// row by primary key, deliberately not cached), so a revocation or an expiry ends the session at the next
/// request on every replica: the cookie is deleted and <c>session.ended</c> audited. A session past half its
/// lifetime is renewed, never beyond the token's expiry. Refusals are 401 and 403 ProblemDetails as the bearer
/// scheme writes them (the 403 audited as <c>auth.forbidden</c>), never a redirect to a login page.
/// </summary>
internal sealed class SessionCookieEvents(
    BatonDbContext db,
    AuditTrail audit,
    TimeProvider clock,
    IOptions<UiSessionOptions> options,
    IProblemDetailsService problems)
    : CookieAuthenticationEvents
{
    public override async Task ValidatePrincipal(CookieValidatePrincipalContext context)
    {
        var http = context.HttpContext;
        var name = context.Principal?.Identity?.Name ?? "anonymous";
        var tokenId = context.Principal?.TokenId() ?? 0;
        var token = await db.ApiTokens.AsNoTracking().Where(t => t.Id == tokenId)
            .Select(t => new { t.ExpiresAt, t.LastUsedAt, t.RevokedAt })
            .SingleOrDefaultAsync(http.RequestAborted);
        var now = clock.GetUtcNow();
        var ended = token switch
        {
            null => "its token does not exist",
            { RevokedAt: not null } => "its token was revoked",
            { ExpiresAt: { } expiry } when expiry <= now => "its token expired",
            _ => null,
        };
        if (token is null || ended is not null)
        {
            context.RejectPrincipal();
            await SessionCookie.SignOutAsync(http);
            await AuthRefusals.RecordAsync(db, audit, name, "session.ended", $"token:{name}", ended);
            return;
        }
        await TokenUse.TouchAsync(db, tokenId, token.LastUsedAt, now, http.RequestAborted);
        Renew(context, now, token.ExpiresAt);
    }

    /// <summary>
    /// Past half its lifetime, a session is renewed for a whole lifetime from now, capped at the token's expiry.
    /// The handler renews to now plus (expires - issued), so setting both here makes that exactly <c>renewed</c>.
    /// </summary>
    private void Renew(CookieValidatePrincipalContext context, DateTimeOffset now, DateTimeOffset? tokenExpiresAt)
    {
        if (context.Properties is not { IssuedUtc: { } issued, ExpiresUtc: { } expires } properties || expires - now >= now - issued)
        {
            return;
        }
        var renewed = options.Value.EndOf(now, tokenExpiresAt);
        if (renewed <= expires)
        {
            return;
        }
        properties.IssuedUtc = now;
        properties.ExpiresUtc = renewed;
        context.ShouldRenew = true;
    }

    public override async Task RedirectToLogin(RedirectContext<CookieAuthenticationOptions> context)
    {
        context.Response.Headers[HeaderNames.WWWAuthenticate] = TokenAuthenticationHandler.SchemeName;
        await AuthRefusals.WriteAsync(problems, context.HttpContext, StatusCodes.Status401Unauthorized, "Unauthorized",
            "the session has ended (logged out, unused too long, or its token was revoked or expired); "
            + "log in again: POST /api/session with 'Authorization: Bearer <token>'");
    }

    public override async Task RedirectToAccessDenied(RedirectContext<CookieAuthenticationOptions> context)
    {
        var user = context.HttpContext.User;
        var detail = AuthRefusals.ForbiddenDetail(user);
        await AuthRefusals.RecordAsync(db, audit, user.Identity?.Name ?? "anonymous", "auth.forbidden", AuthRefusals.Subject(context.Request), detail);
        await AuthRefusals.WriteAsync(problems, context.HttpContext, StatusCodes.Status403Forbidden, "Forbidden", detail);
    }

    // Sign-in and sign-out answer the API call that made them, never a redirect.
    public override Task RedirectToReturnUrl(RedirectContext<CookieAuthenticationOptions> context) => Task.CompletedTask;

    public override Task RedirectToLogout(RedirectContext<CookieAuthenticationOptions> context) => Task.CompletedTask;
}
