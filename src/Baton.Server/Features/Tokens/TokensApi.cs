using System.Security.Claims;
using Baton.Contracts.Paging;
using Baton.Core.Access;
using Baton.Persistence;
using Baton.Persistence.Configurations;
using Baton.Server.Infrastructure.Audit;
using Baton.Server.Infrastructure.Auth;
using Baton.Server.Infrastructure.Errors;
using Baton.Server.Infrastructure.Paging;
using Baton.Server.Infrastructure.Signals;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Baton.Server.Features.Tokens;

/// <summary>API tokens: created by admins, shown once, stored hashed, revoked by DELETE.</summary>
public static class TokensApi
{
    public static RouteGroupBuilder MapTokens(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/tokens").WithTags("Tokens").RequireAuthorization(Policies.Admin);
        group.MapPost("/", Create)
            .WithSummary("Create a token")
            .WithDescription("Answers the secret once; only its hash is stored. Roles: admin, maintainer, viewer, agent.");
        group.MapGet("/", List)
            .WithSummary("List tokens")
            .WithDescription("Metadata only (name, role, prefix, times); secrets are never shown again.");
        group.MapDelete("/{id:long}", Revoke)
            .WithSummary("Revoke a token")
            .WithDescription("The token stops working at once. Revoking twice is harmless.");
        return group;
    }

    private static async Task<Results<Created<CreatedTokenDto>, ProblemHttpResult>> Create(
        CreateTokenRequest request, BatonDbContext db, AuditTrail audit, TimeProvider clock, ClaimsPrincipal user,
        CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var errors = new FieldErrors();
        errors.RequireText("name", request.Name, Limits.NameLength);
        if (!Enum.IsDefined(request.Role))
        {
            errors.Add("role", "'role' must be admin, maintainer, viewer or agent");
        }
        if (request.ExpiresAt <= now)
        {
            errors.Add("expiresAt", "'expiresAt' must be in the future");
        }
        if (errors.Any)
        {
            return errors.ToFailure().ToResult();
        }
        var secret = ApiTokenSecret.Generate();
        var token = new ApiToken(request.Name.Trim(), request.Role, ApiTokenSecret.Hash(secret),
            ApiTokenSecret.DisplayPrefix(secret), user.Actor(), now, request.ExpiresAt);
        db.ApiTokens.Add(token);
        audit.Record(user.Actor(), "token.created", $"token:{token.Name}", $"role={token.Role}");
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/tokens/{token.Id}", new CreatedTokenDto(TokenDto.From(token), secret));
    }

    private static async Task<Results<Ok<Page<TokenDto>>, ProblemHttpResult>> List(
        [AsParameters] PageQuery query, BatonDbContext db, CancellationToken cancellationToken)
    {
        var page = query.Resolve();
        if (page.Failure is { } failure)
        {
            return failure.ToResult();
        }
        var (limit, after) = page.Value;
        var rows = await db.ApiTokens.AsNoTracking().Where(t => t.Id > after).OrderBy(t => t.Id).Take(limit + 1)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(Pages.From(rows, limit, t => t.Id, TokenDto.From));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Revoke(
        long id, BatonDbContext db, AuditTrail audit, RunSignals signals, TimeProvider clock, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var token = await db.ApiTokens.SingleOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (token is null)
        {
            return Failure.NotFound($"token {id} does not exist").ToResult();
        }
        token.Revoke(clock.GetUtcNow());
        audit.Record(user.Actor(), "token.revoked", $"token:{token.Name}");
        await db.SaveChangesAsync(cancellationToken);
        // Checkpoint: stored as revoked; every replica's token cache forgets it now (or within its lifetime, were the news lost).
        signals.PulseTokenRevoked(token.Id);
        return TypedResults.NoContent();
    }
}
