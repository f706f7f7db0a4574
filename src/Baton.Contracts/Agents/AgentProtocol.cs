using Baton.Contracts.Recipes;
using Baton.Contracts.Runs;

namespace Baton.Contracts.Agents;

// The agent protocol (DESIGN.md section 4). Every write about a run names its lease epoch:
// a stale epoch is answered 409 and the agent stops that run.

/// <summary><c>POST /api/agents/register</c>: an agent announces itself; the same name re-registers the same agent.</summary>
public sealed record RegisterAgentRequest(string Name, IReadOnlyList<string> Labels, int Capacity, string Version)
{
    /// <summary>Runs one agent may execute at once: the agent's own option check and the server's both use it.</summary>
    public const int MaxCapacity = 64;
}

/// <summary>The agent's id and the timing it must follow.</summary>
public sealed record RegisterAgentResponse(long AgentId, int LeaseSeconds, int RenewSeconds, int ClaimWaitSeconds);

/// <summary><c>POST /api/agents/{id}/claim</c>: long poll for one run; <c>draining</c> announces a shutdown instead.</summary>
public sealed record ClaimRequest(int? WaitSeconds = null, bool Draining = false);

/// <summary>A run handed to an agent under a lease. <see cref="Epoch"/> is the fencing token.</summary>
public sealed record ClaimedRun
{
    public required long RunId { get; init; }
    public required long Epoch { get; init; }
    public required int Attempt { get; init; }
    public required string Project { get; init; }
    public required string WorkItem { get; init; }
    public required RecipeSpec Recipe { get; init; }
    public required string RecipeHash { get; init; }
    /// <summary>The number the agent gives its first log line (lines of earlier attempts come before it).</summary>
    public required long FirstLine { get; init; }
    /// <summary>Output past this many bytes is dropped with one system line saying so.</summary>
    public required long MaxLogBytes { get; init; }
    public required int LeaseSeconds { get; init; }
    public required int RenewSeconds { get; init; }
    /// <summary>Variables every step gets (BATON_RUN_ID and friends), below the recipe's own.</summary>
    public required IReadOnlyDictionary<string, string> Environment { get; init; }
    /// <summary>The run's trace and its waits, for the spans the agent emits (null from a server that does not trace).</summary>
    public RunTrace? Trace { get; init; }
    /// <summary>
    /// The token for this run's calls (lease, logs, steps, complete): good for this run only, until it ends.
    /// Null from a server without job tokens; the agent then uses its own token.
    /// </summary>
    public string? JobToken { get; init; }
    /// <summary>
    /// The project's secrets by name: each step gets them as environment variables (above the recipe's own), and the
    /// agent masks their values in every line it sends. Never put into command text.
    /// </summary>
    public IReadOnlyDictionary<string, string> Secrets { get; init; } = new Dictionary<string, string>();
}

/// <summary>
/// What an agent needs to trace a run: the trace id the server gave the run, and when it was created, queued (after its
/// approval, when it needed one) and claimed, so that the run's span starts when the run was made and its waits show.
/// </summary>
public sealed record RunTrace(string TraceId, DateTimeOffset CreatedAt, DateTimeOffset? QueuedAt, DateTimeOffset ClaimedAt, bool ApprovalRequired);

/// <summary><c>POST /api/runs/{id}/lease</c>: renews the lease; may wait up to <see cref="WaitSeconds"/> for a cancellation.</summary>
public sealed record LeaseRequest(long Epoch, int? WaitSeconds = null);

public sealed record LeaseResponse(bool Cancel, DateTimeOffset ExpiresAt);

/// <summary><c>PUT /api/runs/{id}/steps/{index}</c>: a step's state; idempotent.</summary>
public sealed record StepUpdate(long Epoch, StepStatus Status, int Attempt, int? ExitCode, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt,
    string? SpanId = null);

/// <summary>
/// <c>PUT /api/runs/{id}/steps</c>: the latest states of several steps, stored in one transaction; idempotent. The agent
/// sends what changed within a short window as one call, so a recipe of quick steps costs a call per window, not per step.
/// </summary>
public sealed record StepsUpdate(long Epoch, IReadOnlyList<StepState> Steps);

/// <summary>
/// <c>POST /api/runs/{id}/complete</c>: the run's end, sent after every log batch was acknowledged; idempotent.
/// <see cref="Steps"/> carries the step states not yet delivered one by one, stored with the end in one transaction:
/// a short run costs one call instead of a step update per step and then this. <see cref="ClaimFor"/> (the agent's id,
/// when the slot this run frees may take another run) asks for the next run in the answer, claimed as
/// <c>POST /api/agents/{id}/claim</c> would but without waiting: a busy agent goes from one run to the next in one call.
/// </summary>
public sealed record CompleteRequest(long Epoch, RunResult Result, int? ExitCode, string? Reason = null, IReadOnlyList<StepState>? Steps = null,
    long? ClaimFor = null, string? SpanId = null)
{
    /// <summary>Step states one completion (or one <see cref="StepsUpdate"/>) may carry: more than any recipe has steps.</summary>
    public const int MaxSteps = 1000;
}

/// <summary>The stored end of the run, and the next run for the agent when it asked and one was there.</summary>
public sealed record CompleteResponse(long RunId, RunResult Status, ClaimedRun? Next = null);

/// <summary>A step's state inside a completion or a <see cref="StepsUpdate"/>: the fields of <see cref="StepUpdate"/>, with the step's index.</summary>
public sealed record StepState(int Index, StepStatus Status, int Attempt, int? ExitCode, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt,
    string? SpanId = null);

/// <summary>What the server did with a log batch.</summary>
public sealed record LogBatchReceipt(long Seq, bool Duplicate, long StoredLines);
