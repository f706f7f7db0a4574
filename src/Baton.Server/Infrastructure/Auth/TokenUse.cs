using Baton.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Baton.Server.Infrastructure.Auth;

/// <summary>A token's last use, as the token list shows it, for a bearer request and a session request alike.</summary>
internal static class TokenUse
{
    /// <summary>Last-used times are written at most this often per token, not on every request.</summary>
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    /// <summary>Records that token <paramref name="tokenId"/> was used at <paramref name="now"/>, unless its last use is recent; true when written.</summary>
    public static async Task<bool> TouchAsync(BatonDbContext db, long tokenId, DateTimeOffset? lastUsedAt, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        if (lastUsedAt is not null && now - lastUsedAt <= Interval)
        {
            return false;
        }
        await db.ApiTokens.Where(t => t.Id == tokenId).ExecuteUpdateAsync(set => set.SetProperty(t => t.LastUsedAt, now), cancellationToken);
        return true;
    }
}
