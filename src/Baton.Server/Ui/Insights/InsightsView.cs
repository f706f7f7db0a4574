using Baton.Persistence;
using Baton.Server.Features.Observability;
using Microsoft.EntityFrameworkCore;

namespace Baton.Server.Ui.Insights;

/// <summary>The insights page's figures: all projects' (or one's), and each project's run durations side by side.</summary>
public sealed record InsightsView(MetricsSummaryDto Selected, IReadOnlyList<string> ProjectKeys, IReadOnlyList<MetricsSummaryDto> PerProject)
{
    /// <summary>Projects compared in the per-project table (each costs one summary query).</summary>
    public const int MaxProjects = 50;

    public static async Task<InsightsView> ReadAsync(IServiceProvider services, string? projectKey, CancellationToken cancellationToken)
    {
        var db = services.GetRequiredService<BatonDbContext>();
        var query = services.GetRequiredService<MetricsSummaryQuery>();
        var projects = await db.Projects.AsNoTracking().OrderBy(p => p.Key).Select(p => new { p.Id, p.Key }).Take(MaxProjects).ToListAsync(cancellationToken);
        var selected = projects.FirstOrDefault(p => p.Key == projectKey);
        var summary = await query.ReadAsync(selected?.Id, selected?.Key, cancellationToken);
        var perProject = new List<MetricsSummaryDto>();
        foreach (var project in projects)
        {
            perProject.Add(await query.ReadAsync(project.Id, project.Key, cancellationToken));
        }
        return new InsightsView(summary, [.. projects.Select(p => p.Key)], perProject);
    }
}
