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

    public static Failure NotFound(string key) => Failure.NotFound($"project '{key}' does not exist");
}
