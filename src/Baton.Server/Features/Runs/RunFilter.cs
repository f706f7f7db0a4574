using Baton.Core.Keys;
using Baton.Core.Runs;
using Baton.Persistence;
using Baton.Server.Features.Projects;
using Baton.Server.Infrastructure.Errors;
using Microsoft.EntityFrameworkCore;

namespace Baton.Server.Features.Runs;

/// <summary>
/// <c>?project=&amp;workItem=&amp;status=</c> of the run lists (runs, traces), checked and resolved to ids: a bad value is a
/// 400 naming the parameter, an unknown project a 404; an unknown work item of a known project matches nothing.
/// </summary>
public sealed record RunFilter(long? ProjectId, long? WorkItemId, RunStatus? Status)
{
    public static async Task<Outcome<RunFilter>> ResolveAsync(BatonDbContext db, string? project, string? workItem, string? status,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        RunStatus? statusFilter = null;
        if (status is not null)
        {
            if (!Enum.TryParse<RunStatus>(status.Replace("_", "", StringComparison.Ordinal), ignoreCase: true, out var parsed)
                || int.TryParse(status, out _))
            {
                return Failure.Invalid("status",
                    $"'status' must be one of {string.Join(", ", Enum.GetValues<RunStatus>().Select(RunCommands.Words))} (got '{status}')");
            }
            statusFilter = parsed;
        }
        if (workItem is not null && project is null)
        {
            return Failure.Invalid("workItem", "'workItem' needs 'project' (work item keys are per project)");
        }
        if (project is null)
        {
            return new RunFilter(null, null, statusFilter);
        }
        var found = await db.FindIdAsync(project, cancellationToken);
        if (found.Failure is { } missing)
        {
            return missing;
        }
        long? workItemId = null;
        if (workItem is not null)
        {
            if (!ItemKey.TryParseWorkItem(workItem, out var number))
            {
                return Failure.Invalid("workItem", $"'{workItem}' is not a work item key (WI-<number>)");
            }
            workItemId = await db.WorkItems.Where(w => w.ProjectId == found.Value && w.Number == number).Select(w => (long?)w.Id)
                .SingleOrDefaultAsync(cancellationToken) ?? -1;
        }
        return new RunFilter(found.Value, workItemId, statusFilter);
    }
}
