using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;

namespace Baton.Server.Infrastructure.Auth;

public static class AuthSetup
{
    /// <summary>Bearer tokens for every endpoint; roles decide reads, writes and admin work.</summary>
    public static WebApplicationBuilder AddBatonAuth(this WebApplicationBuilder builder)
    {
        builder.Services
            .AddAuthentication(TokenAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, TokenAuthenticationHandler>(TokenAuthenticationHandler.SchemeName, null);
        builder.Services.AddSingleton<IAuthorizationHandler, RoleRequirementHandler>();
        builder.Services.AddSingleton<TokenCache>();
        builder.Services.AddAuthorization(Policies.Add);
        return builder;
    }
}
