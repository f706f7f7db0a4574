using Baton.Server.Configuration;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;

namespace Baton.Server.Infrastructure.Auth;

public static class AuthSetup
{
    /// <summary>
    /// Bearer tokens for every endpoint, or the UI session cookie a token was exchanged for (one of the two per
    /// request, chosen by <see cref="CredentialSchemes"/>); roles decide reads, writes and admin work.
    /// </summary>
    public static WebApplicationBuilder AddBatonAuth(this WebApplicationBuilder builder)
    {
        builder.Services
            .AddAuthentication(CredentialSchemes.Default)
            .AddPolicyScheme(CredentialSchemes.Default, "Bearer token or UI session",
                options => options.ForwardDefaultSelector = CredentialSchemes.Select)
            .AddScheme<AuthenticationSchemeOptions, TokenAuthenticationHandler>(TokenAuthenticationHandler.SchemeName, null)
            .AddCookie(SessionCookie.SchemeName, SessionCookie.Configure);
        builder.Services.AddScoped<SessionCookieEvents>();
        builder.Services.AddValidated<UiSessionOptions>(options => options.Validate(), UiSessionOptions.Section);
        builder.Services.AddAntiforgery(SessionAntiforgery.Configure);
        builder.Services.AddSingleton<IAuthorizationHandler, RoleRequirementHandler>();
        builder.Services.AddSingleton<TokenCache>();
        builder.Services.AddSingleton<JobTokenCache>();
        builder.Services.AddAuthorization(Policies.Add);
        // A run's agent calls: the job token its claim handed out (JobTokens)
        builder.Services.AddAuthorization(JobTokens.AddPolicy);
        return builder;
    }
}
