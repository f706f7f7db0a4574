using Baton.Core.Access;
using Baton.Persistence;
using Baton.Server.Infrastructure.Signals;
using Microsoft.EntityFrameworkCore;

namespace Baton.Server.Features.Tokens;

/// <summary>
/// The agent token of the agents <c>baton up</c> runs in its own process. They speak the same
/// HTTP protocol as any agent, so they need a real token; a new one is issued at every start
/// and the previous one revoked, so the secret never has to be stored anywhere.
/// </summary>
public sealed class EmbeddedAgentToken(BatonDbContext db, RunSignals signals, TimeProvider clock)
{
    public const string TokenName = "embedded-agents";

    public async Task<string> IssueAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var previous = await db.ApiTokens.Where(t => t.Name == TokenName && t.RevokedAt == null).ToListAsync(cancellationToken);
        previous.ForEach(t => t.Revoke(now));
        var secret = ApiTokenSecret.Generate();
        db.ApiTokens.Add(new ApiToken(TokenName, Role.Agent, ApiTokenSecret.Hash(secret), ApiTokenSecret.DisplayPrefix(secret), "baton up", now,
            expiresAt: null));
        await db.SaveChangesAsync(cancellationToken);
        previous.ForEach(t => signals.PulseTokenRevoked(t.Id));
        return secret;
    }
}
