using System.Collections.Concurrent;
using Baton.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Baton.Server.Infrastructure.Telemetry;

/// <summary>Project keys by id, for metric labels: a key never changes once the project exists, so a read is remembered.</summary>
public sealed class ProjectKeys
{
    private readonly ConcurrentDictionary<long, string> _keys = new();

    public async ValueTask<string> KeyAsync(BatonDbContext db, long projectId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (_keys.TryGetValue(projectId, out var key))
        {
            return key;
        }
        key = await db.Projects.AsNoTracking().Where(p => p.Id == projectId).Select(p => p.Key).SingleAsync(cancellationToken);
        return _keys.GetOrAdd(projectId, key);
    }
}
