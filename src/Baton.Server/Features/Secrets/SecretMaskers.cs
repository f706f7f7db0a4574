using System.Collections.Concurrent;
using Baton.Core.Secrets;
using Baton.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Baton.Server.Features.Secrets;

/// <summary>
/// The server's second masking pass (the agent's is the first): a masker per project, built from its secrets,
/// kept for <see cref="Lifetime"/> and dropped at once when this replica changes one of them. Another replica's
/// change reaches this one within the lifetime; the agent masks with the values the run was given either way.
/// </summary>
public sealed class SecretMaskers(SecretVault vault, TimeProvider clock)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);
    // Runs seen by this replica; a run's project never changes. Bounded by starting over when it grows too big.
    private const int MaxRuns = 10_000;
    private readonly ConcurrentDictionary<long, long> _projectOfRun = new();
    private readonly ConcurrentDictionary<long, (SecretMasker Masker, DateTimeOffset Until)> _byProject = new();

    public async Task<SecretMasker> ForRunAsync(BatonDbContext db, long runId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (!_projectOfRun.TryGetValue(runId, out var projectId))
        {
            var found = await db.Runs.AsNoTracking().Where(r => r.Id == runId).Select(r => (long?)r.ProjectId).SingleOrDefaultAsync(cancellationToken);
            if (found is null)
            {
                return SecretMasker.Empty;
            }
            if (_projectOfRun.Count >= MaxRuns)
            {
                _projectOfRun.Clear();
            }
            _projectOfRun[runId] = projectId = found.Value;
        }
        return await ForProjectAsync(db, projectId, cancellationToken);
    }

    public async Task<SecretMasker> ForProjectAsync(BatonDbContext db, long projectId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (_byProject.TryGetValue(projectId, out var cached) && cached.Until > now)
        {
            return cached.Masker;
        }
        var values = await vault.ReadAllAsync(db, projectId, cancellationToken);
        var masker = values.Count == 0 ? SecretMasker.Empty : new SecretMasker(values.Values);
        _byProject[projectId] = (masker, now + Lifetime);
        return masker;
    }

    public void Forget(long projectId) => _byProject.TryRemove(projectId, out _);
}
