using Baton.Core.Keys;
using Baton.Core.Runs;
using Baton.Persistence;
using Baton.Server.Features.Runs;
using Baton.Server.Infrastructure.Errors;
using Microsoft.EntityFrameworkCore;

namespace Baton.Server.Ui.Runs;

/// <summary>One row of the run selector: what <see cref="RunSummaryDto"/> has, plus the agent, which the API's list leaves out.</summary>
public sealed record RunRow(long Id, string Project, string WorkItem, RunStatus Status, RunTrigger Trigger, string RequestedBy, int Attempt,
    string? Agent, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt);

public sealed record RunListPage(IReadOnlyList<RunRow> Rows, long? Older, IReadOnlyList<string> Projects);

/// <summary>
/// The run selector's read: the API's filter rules (<see cref="RunFilter"/>, <see cref="RunQueries.Filtered"/>) plus a "since"
/// bound, newest first, one page after a cursor. Built in a <see cref="UiScopes"/> scope, like the scoped services it uses.
/// </summary>
public sealed class RunListQuery(BatonDbContext db, RunQueries runs)
{
    public const int PageSize = 50;

    public async Task<Outcome<RunListPage>> ReadAsync(RunListFilter filter, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var projects = await db.Projects.AsNoTracking().OrderBy(p => p.Key).Select(p => p.Key).ToListAsync(cancellationToken);
        var resolved = await RunFilter.ResolveAsync(db, filter.Project, filter.WorkItem, filter.Status, cancellationToken);
        if (resolved.Value is not { } selected)
        {
            return resolved.Failure!;
        }
        var query = runs.Filtered(selected, filter.Before ?? long.MaxValue);
        if (filter.Since(now) is { } since)
        {
            query = query.Where(r => r.CreatedAt >= since);
        }
        var rows = await (
            from run in query
            join project in db.Projects on run.ProjectId equals project.Id
            join workItem in db.WorkItems on run.WorkItemId equals workItem.Id
            orderby run.Id descending
            select new
            {
                run.Id, Project = project.Key, WorkItem = workItem.Number, run.Status, run.Trigger, run.RequestedBy, run.Attempt,
                Agent = db.Agents.Where(a => a.Id == run.AgentId).Select(a => a.Name).FirstOrDefault(),
                run.CreatedAt, run.StartedAt, run.FinishedAt,
            })
            .Take(PageSize + 1).ToListAsync(cancellationToken);
        var page = rows.Take(PageSize).Select(r => new RunRow(r.Id, r.Project, ItemKey.WorkItem(r.WorkItem), r.Status, r.Trigger, r.RequestedBy,
            r.Attempt, r.Agent, r.CreatedAt, r.StartedAt, r.FinishedAt)).ToList();
        return new RunListPage(page, rows.Count > PageSize ? page[^1].Id : null, projects);
    }
}
