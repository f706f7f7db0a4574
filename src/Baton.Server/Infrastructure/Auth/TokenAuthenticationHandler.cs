using System.Text.Encodings.Web;
using Baton.Core.Access;
using Baton.Core.Runs;
using Baton.Persistence;
using Baton.Server.Infrastructure.Audit;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Baton.Server.Infrastructure.Auth;

/// <summary>
/// <c>Authorization: Bearer &lt;token&gt;</c>: hashes the presented secret and finds the token
/// by hash (in <see cref="TokenCache"/>, else in the database). Answers 401 and 403 as
/// ProblemDetails that say what is missing. A refused token (unknown, revoked, expired, malformed)
/// and a role refused an endpoint are audited (<c>auth.failed</c>, <c>auth.forbidden</c>) with the
/// caller's address; a request without credentials is not: it used no token.
/// </summary>
internal sealed class TokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    BatonDbContext db,
    AuditTrail audit,
    TokenCache cache,
    JobTokenCache jobTokens,
    TimeProvider clock,
    IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (Request.Headers.Authorization.ToString().Length == 0)
        {
            return AuthenticateResult.NoResult();
        }
        if (BearerSecret() is not { } secret)
        {
            return AuthenticateResult.Fail("the Authorization header must be 'Bearer <token>'");
        }
        var hash = ApiTokenSecret.Hash(secret);
        if (secret.StartsWith(ApiTokenSecret.JobPrefix, StringComparison.Ordinal))
        {
            return await AuthenticateJobAsync(hash);
        }
        if (!cache.TryGet(hash, out var token))
        {
            var row = await db.ApiTokens.AsNoTracking()
                .Where(t => t.SecretHash == hash)
                .Select(t => new { Token = new KnownToken(t.Id, t.Name, t.Role, t.ExpiresAt, t.LastUsedAt), t.RevokedAt })
                .SingleOrDefaultAsync(Context.RequestAborted);
            if (row is null || row.RevokedAt is not null)
            {
                return AuthenticateResult.Fail("the token is unknown, revoked or expired");
            }
            token = row.Token;
            cache.Remember(hash, token);
        }
        var now = clock.GetUtcNow();
        if (token.ExpiresAt <= now)
        {
            return AuthenticateResult.Fail("the token is unknown, revoked or expired");
        }
        if (await TokenUse.TouchAsync(db, token.Id, token.LastUsedAt, now, Context.RequestAborted))
        {
            cache.Remember(hash, token with { LastUsedAt = now });
        }
        var principal = BatonPrincipal.Create(token.Id, token.Name, token.Role);
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    /// <summary>
    /// A job token (see <see cref="JobTokens"/>): found by its hash (in <see cref="JobTokenCache"/> while its run runs on this
    /// replica, else on the run it was handed out with), checked against the endpoint and the run in the route.
    /// </summary>
    private async Task<AuthenticateResult> AuthenticateJobAsync(string hash)
    {
        if (!jobTokens.TryGet(hash, out var holder))
        {
            var job = await db.Runs.AsNoTracking().Where(r => r.JobTokenHash == hash)
                .Select(r => new { r.Id, r.Status, r.AgentId, Agent = db.Agents.Where(a => a.Id == r.AgentId).Select(a => a.Name).FirstOrDefault() })
                .SingleOrDefaultAsync(Context.RequestAborted);
            if (job is null)
            {
                return AuthenticateResult.Fail("the job token is unknown, or its run was claimed again since");
            }
            if (JobTokens.Refusal(Context.GetEndpoint(), Request.RouteValues["id"], job.Id, job.Status) is { } refusal)
            {
                return AuthenticateResult.Fail(refusal);
            }
            holder = new JobTokenCache.JobHolder(job.Id, job.AgentId, job.Agent ?? "agent");
            if (job.Status == RunStatus.Running)
            {
                jobTokens.Remember(hash, holder);
            }
        }
        // A remembered token's run was running when last seen here; the fenced write the call makes says whether it still is.
        else if (JobTokens.Refusal(Context.GetEndpoint(), Request.RouteValues["id"], holder.RunId, RunStatus.Running) is { } refusal)
        {
            return AuthenticateResult.Fail(refusal);
        }
        var principal = BatonPrincipal.CreateJob(holder.RunId, holder.AgentId, holder.Agent);
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.Headers[HeaderNames.WWWAuthenticate] = SchemeName;
        var detail = result.Failure?.Message ?? "this endpoint needs 'Authorization: Bearer <token>'";
        if (result.Failure is not null)
        {
            await AuthRefusals.RecordAsync(db, audit, "anonymous", "auth.failed", AuthRefusals.Subject(Request), $"{detail}; token {Presented()}");
        }
        await AuthRefusals.WriteAsync(problems, Context, StatusCodes.Status401Unauthorized, "Unauthorized", detail);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var detail = AuthRefusals.ForbiddenDetail(Context.User);
        await AuthRefusals.RecordAsync(db, audit, Context.User.Identity?.Name ?? "anonymous", "auth.forbidden", AuthRefusals.Subject(Request), detail);
        await AuthRefusals.WriteAsync(problems, Context, StatusCodes.Status403Forbidden, "Forbidden", detail);
    }

    /// <summary>
    /// What the caller presented, safe to store: a real token's display prefix (as the token list shows it),
    /// else only its length, since a short string may be some other secret pasted by mistake.
    /// </summary>
    private string Presented()
    {
        if (BearerSecret() is not { } secret)
        {
            return "not given as 'Bearer <token>'";
        }
        return secret.Length >= ApiTokenSecret.MinimumLength && secret.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-')
            ? $"'{ApiTokenSecret.DisplayPrefix(secret)}...'"
            : $"of {secret.Length} characters";
    }

    /// <summary>The secret of <c>Authorization: Bearer &lt;secret&gt;</c>; null for another scheme or no header.</summary>
    private string? BearerSecret()
    {
        var header = Request.Headers.Authorization.ToString();
        return header.StartsWith(SchemeName + " ", StringComparison.OrdinalIgnoreCase) ? header[(SchemeName.Length + 1)..].Trim() : null;
    }
}
