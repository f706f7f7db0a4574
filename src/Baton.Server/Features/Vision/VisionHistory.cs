using Baton.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Baton.Server.Features.Vision;

/// <summary>A project's vision versions for the page that compares them.</summary>
public static class VisionHistory
{
    /// <summary>Versions one page loads (the newest); older ones stay readable through the API's pages.</summary>
    public const int MaxVersions = 100;

    /// <summary>The newest <see cref="MaxVersions"/> versions, oldest first.</summary>
    public static async Task<List<VisionDto>> VisionVersionsAsync(this BatonDbContext db, long projectId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var rows = await db.VisionVersions.AsNoTracking().Where(v => v.ProjectId == projectId)
            .OrderByDescending(v => v.Version).Take(MaxVersions).ToListAsync(cancellationToken);
        return [.. rows.OrderBy(v => v.Version).Select(VisionDto.From)];
    }
}
