using Baton.Core.Access;
using Baton.Persistence;
using Baton.Persistence.Storage;
using Baton.Server.Configuration;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Baton.Server.Features.Tokens;

/// <summary>
/// Makes the first admin token of a fresh installation: BATON_BOOTSTRAP_TOKEN when set
/// (automation), else a generated one that the caller shows once.
/// </summary>
public sealed class BootstrapToken(BatonDbContext db, IOptions<ServerOptions> options, TimeProvider clock)
{
    public const string TokenName = "bootstrap-admin";

    /// <summary>Returns the generated secret to show, or null when none was generated.</summary>
    public async Task<string?> EnsureAsync(CancellationToken cancellationToken)
    {
        if (await db.SystemMarkers.AnyAsync(m => m.Key == SystemMarker.BootstrapToken, cancellationToken))
        {
            return null;
        }
        var configured = options.Value.BootstrapToken;
        var secret = string.IsNullOrEmpty(configured) ? ApiTokenSecret.Generate() : configured;
        var now = clock.GetUtcNow();
        // The marker's primary key makes this once-only even with replicas starting together:
        // a second server's insert fails and its token is rolled back with it.
        db.SystemMarkers.Add(new SystemMarker(SystemMarker.BootstrapToken, now));
        db.ApiTokens.Add(new ApiToken(TokenName, Role.Admin, ApiTokenSecret.Hash(secret),
            ApiTokenSecret.DisplayPrefix(secret), "baton", now, expiresAt: null));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (DbErrors.IsUniqueViolation(exception))
        {
            return null;
        }
        return string.IsNullOrEmpty(configured) ? secret : null;
    }
}
