using Baton.Core.Access;
using Microsoft.AspNetCore.Authorization;

namespace Baton.Server.Infrastructure.Auth;

/// <summary>
/// Authorization policy names. Endpoints without a policy fall back to <see cref="Read"/>, so
/// a new endpoint is closed unless it says otherwise (<c>AllowAnonymous</c> for health).
/// </summary>
public static class Policies
{
    public const string Read = "read";
    public const string Write = "write";
    public const string Admin = "admin";
    public const string Agent = "agent";

    internal static void Add(AuthorizationOptions options)
    {
        options.AddPolicy(Read, RoleAtLeast(Role.Viewer));
        options.AddPolicy(Write, RoleAtLeast(Role.Maintainer));
        options.AddPolicy(Admin, RoleAtLeast(Role.Admin));
        options.AddPolicy(Agent, RoleAtLeast(Role.Agent));
        options.FallbackPolicy = options.GetPolicy(Read);
    }

    // The policy scheme, not Bearer and Session side by side: listing both would merge two principals when a
    // request carries both credentials, and would write a 401 or 403 from each scheme.
    private static AuthorizationPolicy RoleAtLeast(Role needed) => new AuthorizationPolicyBuilder(CredentialSchemes.Default)
        .RequireAuthenticatedUser()
        .AddRequirements(new RoleRequirement(needed))
        .Build();
}

/// <summary>Requires a role at least as strong as <see cref="Needed"/> (agent only matches agent).</summary>
public sealed record RoleRequirement(Role Needed) : IAuthorizationRequirement;

internal sealed class RoleRequirementHandler : AuthorizationHandler<RoleRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, RoleRequirement requirement)
    {
        if (context.User.TokenRole() is { } role && role.Satisfies(requirement.Needed))
        {
            context.Succeed(requirement);
        }
        return Task.CompletedTask;
    }
}
