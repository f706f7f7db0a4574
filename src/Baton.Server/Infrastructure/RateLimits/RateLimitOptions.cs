namespace Baton.Server.Infrastructure.RateLimits;

/// <summary>
/// Token buckets (configuration section "RateLimits", e.g. <c>BATON_RateLimits__PerTokenPerSecond</c>): a
/// rate that refills and a burst that may be spent at once. The defaults let a script create a thousand
/// runs in one go and keep a fleet's agents (which may share a token) far from the limit, while one
/// runaway client or a flood of bad credentials cannot take the server or its audit log down.
/// </summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    public bool Enabled { get; set; } = true;
    /// <summary>Requests per second of one person's or script's token (admin, maintainer, viewer).</summary>
    public int PerTokenPerSecond { get; set; } = 200;
    public int PerTokenBurst { get; set; } = 1000;
    /// <summary>Requests per second of one agent token from one address: the agent protocol is never the one starved.</summary>
    public int PerAgentPerSecond { get; set; } = 1000;
    public int PerAgentBurst { get; set; } = 5000;
    /// <summary>Requests per second from one address without a valid token (health checks are never limited).</summary>
    public int AnonymousPerSecond { get; set; } = 20;
    public int AnonymousBurst { get; set; } = 200;

    public string? Validate()
    {
        foreach (var (name, rate, burst) in new[]
                 {
                     ("PerToken", PerTokenPerSecond, PerTokenBurst), ("PerAgent", PerAgentPerSecond, PerAgentBurst),
                     ("Anonymous", AnonymousPerSecond, AnonymousBurst),
                 })
        {
            if (rate < 1 || burst < rate)
            {
                return $"{Section}:{name}: the rate must be at least 1 per second and the burst at least the rate (got {rate}/s, burst {burst})";
            }
        }
        return null;
    }
}
