using System.Globalization;
using System.Security.Claims;
using Baton.Core.Access;

namespace Baton.Server.Infrastructure.Auth;

/// <summary>Reads who is calling from the principal the token handler built.</summary>
public static class BatonPrincipal
{
    public const string RoleClaim = "baton:role";
    public const string TokenIdClaim = "baton:token_id";

    public static ClaimsPrincipal Create(long tokenId, string name, Role role) => new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.Name, name),
            new Claim(TokenIdClaim, tokenId.ToString(CultureInfo.InvariantCulture)),
            new Claim(RoleClaim, role.ToString()),
        ],
        TokenAuthenticationHandler.SchemeName));

    /// <summary>
    /// The holder of run <paramref name="runId"/>'s job token: its agent, with the agent role, limited to that run.
    /// Its rate-limit bucket is the run's, so a busy agent's runs do not starve each other.
    /// </summary>
    public static ClaimsPrincipal CreateJob(long runId, long? agentId, string agentName) => new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.Name, agentName),
            new Claim(JobTokens.AgentClaim, agentId?.ToString(CultureInfo.InvariantCulture) ?? ""),
            new Claim(TokenIdClaim, "job-" + runId.ToString(CultureInfo.InvariantCulture)),
            new Claim(RoleClaim, nameof(Role.Agent)),
            new Claim(JobTokens.RunClaim, runId.ToString(CultureInfo.InvariantCulture)),
        ],
        TokenAuthenticationHandler.SchemeName));

    /// <summary>The name that audit trails and records show for this caller.</summary>
    public static string Actor(this ClaimsPrincipal user) =>
        user?.Identity?.Name ?? throw new InvalidOperationException("no authenticated caller");

    /// <summary>The caller's API token id; null for a job token (which names a run, not a token) or no caller.</summary>
    public static long? TokenId(this ClaimsPrincipal user) =>
        long.TryParse(user?.FindFirstValue(TokenIdClaim), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    public static Role? TokenRole(this ClaimsPrincipal user) =>
        Enum.TryParse<Role>(user?.FindFirstValue(RoleClaim), out var role) ? role : null;
}
