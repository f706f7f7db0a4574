using Baton.Core.Runs;
using Microsoft.AspNetCore.Authorization;

namespace Baton.Server.Infrastructure.Auth;

/// <summary>
/// Job tokens: each claim hands the agent a token for that run alone (its hash is on the run), and the
/// agent's calls about the run carry it instead of the agent's own token. A job token is refused (401) on
/// any other endpoint, for any other run, once the run was claimed again, and once the run has ended,
/// except for a repeat of the run's own completion (completions are idempotent; a lost answer is resent).
/// </summary>
public static class JobTokens
{
    public const string Policy = "job";
    public const string RunClaim = "baton:job_run";
    /// <summary>The agent that holds the run under this claim.</summary>
    public const string AgentClaim = "baton:job_agent";

    /// <summary>Whether <paramref name="user"/> holds a job token of a run that agent <paramref name="agentId"/> holds.</summary>
    public static bool IsHeldBy(this System.Security.Claims.ClaimsPrincipal user, long agentId) =>
        user?.FindFirst(AgentClaim)?.Value == agentId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Marks the endpoints a job token is good for; their route's <c>id</c> is the run's.</summary>
    public sealed class RunScoped;

    /// <summary>Marks the one run-scoped endpoint that a job token may still call after its run ended.</summary>
    public sealed class RepeatableAfterEnd;

    internal static void AddPolicy(AuthorizationOptions options) =>
        options.AddPolicy(Policy, new AuthorizationPolicyBuilder(TokenAuthenticationHandler.SchemeName)
            .RequireAuthenticatedUser()
            .RequireClaim(RunClaim)
            .Build());

    /// <summary>Why the job token of run <paramref name="runId"/> (now <paramref name="status"/>) may not make this call, or null.</summary>
    internal static string? Refusal(Endpoint? endpoint, object? routeId, long runId, RunStatus status)
    {
        if (endpoint?.Metadata.GetMetadata<RunScoped>() is null)
        {
            return "a job token is good only for its run's agent calls (lease, logs, steps, complete)";
        }
        if (routeId?.ToString() != runId.ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            return $"this job token belongs to run {runId}, not to run {routeId}";
        }
        if (status != RunStatus.Running && !(RunStateMachine.IsFinal(status) && endpoint.Metadata.GetMetadata<RepeatableAfterEnd>() is not null))
        {
            return $"run {runId} is no longer running under this claim; its job token has expired";
        }
        return null;
    }
}
