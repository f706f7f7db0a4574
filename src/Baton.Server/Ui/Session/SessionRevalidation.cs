using System.Security.Claims;
using Baton.Persistence;
using Baton.Server.Infrastructure.Auth;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.EntityFrameworkCore;

namespace Baton.Server.Ui.Session;

/// <summary>
/// A page's circuit outlives the request that opened it, so the session cookie's per-request check does not
/// reach it. This checks the session's token again every <see cref="Interval"/>: once it is revoked or expired,
/// the circuit's caller becomes anonymous and the layout sends the person to the login page.
/// </summary>
internal sealed class SessionRevalidation(ILoggerFactory loggers, IServiceScopeFactory scopes, TimeProvider clock)
    : RevalidatingServerAuthenticationStateProvider(loggers)
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    protected override TimeSpan RevalidationInterval => Interval;

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        if (authenticationState.User.TokenId() is not { } tokenId)
        {
            return false;
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BatonDbContext>();
        // One row by primary key; whether it still admits its holder is the token's own rule.
        var token = await db.ApiTokens.AsNoTracking().SingleOrDefaultAsync(t => t.Id == tokenId, cancellationToken);
        return token?.IsUsableAt(clock.GetUtcNow()) == true;
    }
}
