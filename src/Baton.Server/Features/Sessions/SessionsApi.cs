using System.Globalization;
using System.Security.Claims;
using Baton.Persistence;
using Baton.Server.Infrastructure.Audit;
using Baton.Server.Infrastructure.Auth;
using Baton.Server.Infrastructure.Errors;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Baton.Server.Features.Sessions;

/// <summary>
/// UI sessions: a person's token, sent once as a bearer token, is exchanged for an HttpOnly, SameSite=Strict
/// cookie that authenticates the browser's later requests (see <see cref="SessionCookie"/>); writes sent with
/// the cookie also need the anti-forgery token answered here (see <see cref="SessionAntiforgery"/>).
/// </summary>
public static class SessionsApi
{
    public static RouteGroupBuilder MapSessions(this IEndpointRouteBuilder routes)
    {
        // Any person's token (viewer and up) may log in: a session grants nothing its token does not. Agent tokens are for the protocol only.
        var group = routes.MapGroup("/api/session").WithTags("Sessions").RequireAuthorization(Policies.Read);
        group.MapPost("/", Create)
            .WithSummary("Log in: exchange a token for a UI session")
            .WithDescription("Send the token as `Authorization: Bearer <token>`. Sets the session cookie (HttpOnly, SameSite=Strict, "
                + "Secure over HTTPS) and answers who it is, when it ends unless used (`Sessions:LifetimeHours`, 8 by default, "
                + "renewed by use, never past the token's expiry) and the anti-forgery token that writes must send as `X-CSRF-Token`.");
        group.MapGet("/", Get)
            .WithSummary("Who is calling")
            .WithDescription("For a session: its caller, end and a fresh anti-forgery token (also in the `XSRF-TOKEN` cookie). "
                + "For a bearer token: its caller and expiry.");
        group.MapDelete("/", End)
            .WithSummary("Log out")
            .WithDescription("Deletes the session cookie. The token itself stays valid; revoking it ends all of its sessions.");
        return group;
    }

    private static async Task<Results<Ok<SessionDto>, ProblemHttpResult>> Create(
        HttpContext http, BatonDbContext db, AuditTrail audit, IOptions<UiSessionOptions> options, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var user = http.User;
        if (user.IsSession())
        {
            return new Failure(StatusCodes.Status400BadRequest, "Invalid request",
                "a session starts from a token: send it as 'Authorization: Bearer <token>'").ToResult();
        }
        var tokenExpiresAt = await TokenExpiryAsync(db, user, cancellationToken);
        var now = clock.GetUtcNow();
        var expiresAt = options.Value.EndOf(now, tokenExpiresAt);
        audit.Record(user.Actor(), "session.created", $"token:{user.Actor()}", $"until {expiresAt.ToString("O", CultureInfo.InvariantCulture)}");
        await db.SaveChangesAsync(cancellationToken);
        // Checkpoint: audited; should the process die before the answer, no cookie was delivered and nothing else changed.
        var session = SessionCookie.From(user);
        await SessionCookie.SignInAsync(http, session, now, expiresAt);
        // The anti-forgery token is bound to the caller of the later requests: the session.
        http.User = session;
        return TypedResults.Ok(new SessionDto(user.Actor(), user.TokenRole()!.Value, expiresAt, SessionAntiforgery.Issue(http)));
    }

    private static async Task<Ok<SessionDto>> Get(HttpContext http, BatonDbContext db, CancellationToken cancellationToken)
    {
        var user = http.User;
        if (user.IsSession())
        {
            // The result this request was authenticated with (the handler runs once per request), with the end as renewed.
            var session = await http.AuthenticateAsync(SessionCookie.SchemeName);
            return TypedResults.Ok(new SessionDto(user.Actor(), user.TokenRole()!.Value, session.Properties?.ExpiresUtc, SessionAntiforgery.Issue(http)));
        }
        return TypedResults.Ok(new SessionDto(user.Actor(), user.TokenRole()!.Value, await TokenExpiryAsync(db, user, cancellationToken), null));
    }

    private static async Task<NoContent> End(HttpContext http, BatonDbContext db, AuditTrail audit, CancellationToken cancellationToken)
    {
        var user = http.User;
        if (user.IsSession())
        {
            audit.Record(user.Actor(), "session.ended", $"token:{user.Actor()}", "logged out");
            await db.SaveChangesAsync(cancellationToken);
        }
        // A bearer caller has no session here, but a cookie its browser may still hold is deleted all the same.
        await SessionCookie.SignOutAsync(http);
        return TypedResults.NoContent();
    }

    private static Task<DateTimeOffset?> TokenExpiryAsync(BatonDbContext db, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var tokenId = user.TokenId()!.Value;
        return db.ApiTokens.AsNoTracking().Where(t => t.Id == tokenId).Select(t => t.ExpiresAt).SingleAsync(cancellationToken);
    }
}
