namespace Baton.Server.Features.Runs;

/// <summary>Timing and limits of run execution (configuration section "Runs", e.g. <c>BATON_Runs__LeaseSeconds</c>).</summary>
public sealed class RunOptions
{
    public const string Section = "Runs";

    /// <summary>How long a claim or renewal holds the run for its agent.</summary>
    public int LeaseSeconds { get; set; } = 30;
    /// <summary>How often agents renew (well inside the lease, so one lost renewal is harmless).</summary>
    public int RenewSeconds { get; set; } = 10;
    /// <summary>
    /// How long an agent's claim waits for a run before it answers 204 and the agent asks again. Each new poll costs an
    /// idle agent its few statements, so the wait is as long as it can be while staying under the 60 s that proxies
    /// commonly allow a silent request (nginx's proxy_read_timeout); actions/runner's long poll is 50 s too.
    /// </summary>
    public int ClaimWaitSeconds { get; set; } = 50;
    /// <summary>After a server start, leases get this long before they can expire, so agents can reconnect first.</summary>
    public int RestartGraceSeconds { get; set; } = 30;
    /// <summary>Output of one run past this many bytes is dropped, with one system line saying so.</summary>
    public long MaxLogBytesPerRun { get; set; } = 100L * 1024 * 1024;
    /// <summary>The largest log batch body an agent may send.</summary>
    public long MaxLogBatchBytes { get; set; } = 16L * 1024 * 1024;

    public TimeSpan Lease => TimeSpan.FromSeconds(LeaseSeconds);
    /// <summary>An agent not heard from for this long counts as lost.</summary>
    public TimeSpan AgentSilence => TimeSpan.FromSeconds(ClaimWaitSeconds + (2 * RenewSeconds));

    public string? Validate() =>
        LeaseSeconds < 2 ? "Runs:LeaseSeconds must be at least 2"
        : RenewSeconds < 1 || RenewSeconds * 2 > LeaseSeconds ? "Runs:RenewSeconds must be at least 1 and at most half of Runs:LeaseSeconds"
        : ClaimWaitSeconds is < 1 or > 120 ? "Runs:ClaimWaitSeconds must be between 1 and 120"
        : RestartGraceSeconds < 0 ? "Runs:RestartGraceSeconds must not be negative"
        : MaxLogBytesPerRun < 1024 ? "Runs:MaxLogBytesPerRun must be at least 1024"
        : MaxLogBatchBytes < 64 * 1024 ? "Runs:MaxLogBatchBytes must be at least 65536"
        : null;
}
