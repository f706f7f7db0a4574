using Baton.Core.Keys;
using Baton.Core.Projects;
using Baton.Persistence;
using Baton.Server.Infrastructure.Errors;
using Microsoft.EntityFrameworkCore;

namespace Baton.Server.Features.Projects;

public static class ProjectLookup
{
    /// <summary>The project's id by key, or a 404 naming the key.</summary>
    public static async Task<Outcome<long>> FindIdAsync(this BatonDbContext db, string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var id = await db.Projects.Where(p => p.Key == key).Select(p => (long?)p.Id).SingleOrDefaultAsync(cancellationToken);
        return id is { } found ? found : NotFound(key);
    }

    public static async Task<Outcome<Project>> FindAsync(this BatonDbContext db, string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var project = await db.Projects.SingleOrDefaultAsync(p => p.Key == key, cancellationToken);
        return project is null ? NotFound(key) : project;
    }

    /// <summary>
    /// An item of the project by its key (e.g. REQ-3 with prefix "REQ"), or a 404 that says
    /// whether the key is malformed or the item missing.
    /// </summary>
    public static async Task<Outcome<T>> FindItemAsync<T>(this BatonDbContext db, string key, string itemKey, string prefix, string noun,
        CancellationToken cancellationToken) where T : class, IProjectItem
    {
        ArgumentNullException.ThrowIfNull(db);
        var project = await db.FindIdAsync(key, cancellationToken);
        if (project.Failure is { } failure)
        {
            return failure;
        }
        if (!ItemKey.TryParse(itemKey, prefix, out var number))
        {
            return Failure.NotFound($"'{itemKey}' is not a {noun} key ({prefix}-<number>)");
        }
        var item = await db.Set<T>().SingleOrDefaultAsync(i => i.ProjectId == project.Value && i.Number == number, cancellationToken);
        return item is null ? Failure.NotFound($"{noun} {itemKey} does not exist in project '{key}'") : item;
    }

    public static Failure NotFound(string key) => Failure.NotFound($"project '{key}' does not exist");
}
