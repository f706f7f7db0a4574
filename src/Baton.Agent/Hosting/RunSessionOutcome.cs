using Baton.Contracts.Agents;
using Baton.Contracts.Runs;

namespace Baton.Agent.Hosting;

/// <summary>
/// How a claimed run ended on this agent. <see cref="Reported"/> is false when the lease was lost:
/// the run was stopped and nothing was completed (the server's reaper or the new holder decides).
/// <see cref="Next"/> is the run the completion's answer handed over: already leased to this agent,
/// it takes the same slot.
/// </summary>
public sealed record RunSessionOutcome(long RunId, RunResult Result, bool Reported, string? Reason, ClaimedRun? Next = null)
{
    public static RunSessionOutcome LeaseLost(long runId) => new(runId, RunResult.Cancelled, false, "the lease was lost");
}
