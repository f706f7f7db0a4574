using Baton.Server.Features.Agents;
using Baton.Server.Features.Observability;
using Baton.Server.Features.Plans;
using Baton.Server.Features.Runs;

namespace Baton.Server.Ui.Dashboard;

/// <summary>What the dashboard shows, read in one scope: figures, the newest runs, what waits and why, the agents.</summary>
public sealed record DashboardView(MetricsSummaryDto Metrics, IReadOnlyList<RunSummaryDto> RecentRuns, IReadOnlyList<QueueEntryDto> Queue,
    IReadOnlyList<AgentDto> Agents)
{
    public const int RecentCount = 10;
    public const int QueueCount = 10;

    public static async Task<DashboardView> ReadAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var metrics = await services.GetRequiredService<MetricsSummaryQuery>().ReadAsync(null, null, cancellationToken);
        var runs = await services.GetRequiredService<RunQueries>().ListAsync(new RunFilter(null, null, null), long.MaxValue, RecentCount, cancellationToken);
        var queue = await services.GetRequiredService<PlanQueries>().QueueAsync(QueueCount, cancellationToken);
        var agents = await services.GetRequiredService<AgentQueries>().ListAsync(cancellationToken);
        return new DashboardView(metrics, runs, queue, agents);
    }
}
