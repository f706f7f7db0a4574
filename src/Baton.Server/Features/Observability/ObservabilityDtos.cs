using Baton.Contracts.Runs;
using Baton.Core.Observability;
using Baton.Core.Runs;

namespace Baton.Server.Features.Observability;

/// <summary>A run as a trace: its ids, times and waits (<c>GET /api/observability/traces</c>).</summary>
public sealed record RunTraceDto(long RunId, string Project, string WorkItem, int Number, RunStatus Status, string? TraceId, string? SpanId,
    string? Agent, DateTimeOffset CreatedAt, DateTimeOffset? QueuedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt,
    double? DurationSeconds, double? QueueWaitSeconds, double? ApprovalWaitSeconds);

/// <summary>One run observed: its trace, waits and steps, each step with its span and how it compares with its history.</summary>
public sealed record RunObservationDto(RunTraceDto Run, string? TraceParent, bool Flaky, IReadOnlyList<StepObservationDto> Steps);

public sealed record StepObservationDto(int Index, string Name, StepStatus Status, int Attempt, int? ExitCode, string? SpanId,
    DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, double? DurationSeconds, double? UsualP95Seconds, bool Slow);

/// <summary>A work item's last runs, step by step (<c>GET .../work-items/{wiKey}/step-history</c>).</summary>
public sealed record StepHistoryDto(string Project, string WorkItem, int Runs, IReadOnlyList<StepStatsDto> Steps, IReadOnlyList<FlakyRecipeDto> FlakyRecipes);

public sealed record StepStatsDto(string Name, int Runs, double? SuccessRate, double? P50Seconds, double? P95Seconds);

/// <summary>A recipe version whose outcome flipped back and forth over the runs looked at.</summary>
public sealed record FlakyRecipeDto(string RecipeHash, int Succeeded, int Failed);

/// <summary>
/// <c>GET /api/metrics</c>: totals over all runs (of a project), and durations over the latest
/// <see cref="MetricsSummaryDto.Window"/> finished runs.
/// </summary>
public sealed record MetricsSummaryDto(string? Project, IReadOnlyDictionary<string, long> RunsByStatus, long Started, long Finished,
    int Window, DurationStats RunDuration, DurationStats StepDuration, DurationStats QueueWait, DurationStats ApprovalWait);
