using Baton.Contracts.Runs;
using Baton.Core.Observability;
using Baton.Core.Runs;
using Baton.Persistence;
using Baton.Server.Infrastructure.Telemetry;
using Microsoft.EntityFrameworkCore;

namespace Baton.Server.Features.Observability;

/// <summary>
/// A work item's recent runs read for its step history: per step, the p50/p95 duration and success
/// rate; per recipe version, whether its outcome flips back and forth (<see cref="StepHistory"/>).
/// Only runs that executed count (succeeded, failed, timed out), newest first, at most a few hundred.
/// </summary>
public sealed class StepHistoryQueries(BatonDbContext db)
{
    public const int DefaultRuns = 50;
    public const int MaxRuns = 500;
    private static readonly RunStatus[] Executed = [RunStatus.Succeeded, RunStatus.Failed, RunStatus.TimedOut];

    public async Task<StepHistoryView> ReadAsync(long workItemId, int runs, int? beforeNumber, CancellationToken cancellationToken)
    {
        var recent = await db.Runs.AsNoTracking()
            .Where(r => r.WorkItemId == workItemId && Executed.Contains(r.Status) && (beforeNumber == null || r.Number < beforeNumber))
            .OrderByDescending(r => r.Number).Take(runs)
            .Select(r => new { r.Id, r.Number, r.Status, r.RecipeHash }).ToListAsync(cancellationToken);
        var ids = recent.Select(r => r.Id).ToList();
        var steps = await db.RunSteps.AsNoTracking().Where(s => ids.Contains(s.RunId))
            .Select(s => new { s.Name, s.Status, s.StartedAt, s.FinishedAt }).ToListAsync(cancellationToken);
        var stats = steps.GroupBy(s => s.Name).Select(g =>
        {
            var ran = g.Where(s => s.Status is StepStatus.Succeeded or StepStatus.Failed or StepStatus.TimedOut).ToList();
            var durations = DurationStats.Of(ran.Where(s => s.StartedAt is not null && s.FinishedAt is not null)
                .Select(s => (s.FinishedAt!.Value - s.StartedAt!.Value).TotalSeconds), BatonMetrics.SecondsBuckets);
            return new StepStatsDto(g.Key, ran.Count, ran.Count == 0 ? null : (double)ran.Count(s => s.Status == StepStatus.Succeeded) / ran.Count,
                durations.P50Seconds, durations.P95Seconds);
        }).OrderBy(s => s.Name, StringComparer.Ordinal).ToList();
        var flaky = recent.GroupBy(r => r.RecipeHash)
            .Select(g => (Hash: g.Key, Outcomes: g.OrderBy(r => r.Number).Select(r => r.Status == RunStatus.Succeeded).ToList()))
            .Where(g => StepHistory.Alternates(g.Outcomes))
            .Select(g => new FlakyRecipeDto(g.Hash, g.Outcomes.Count(o => o), g.Outcomes.Count(o => !o))).ToList();
        return new StepHistoryView(recent.Count, stats, flaky);
    }
}

/// <summary>What <see cref="StepHistoryQueries"/> read: how many runs, the steps' figures, the flaky recipes.</summary>
public sealed record StepHistoryView(int Runs, IReadOnlyList<StepStatsDto> Steps, IReadOnlyList<FlakyRecipeDto> FlakyRecipes)
{
    public StepStatsDto? Step(string name) => Steps.FirstOrDefault(s => s.Name == name);
}
