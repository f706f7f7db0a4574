using System.Text.Json;
using Baton.Contracts.Json;
using Baton.Contracts.Recipes;
using Baton.Core.Recipes;
using Baton.Core.WorkItems;
using Baton.Persistence;
using Baton.Server.Features.WorkItems;
using Baton.Server.Infrastructure.Audit;
using Baton.Server.Infrastructure.Errors;
using Microsoft.EntityFrameworkCore;

namespace Baton.Server.Features.Recipes;

public sealed class RecipeCommands(BatonDbContext db, WorkItemCommands workItems, AuditTrail audit, TimeProvider clock)
{
    /// <summary>
    /// Stores the YAML as a new version when its content differs from the current one.
    /// Answers the version in force and whether this call created it.
    /// </summary>
    public async Task<Outcome<(RecipeDto Recipe, bool Created)>> SetAsync(string key, string itemKey, string yaml, string actor,
        CancellationToken cancellationToken)
    {
        var parsed = RecipeParser.Parse(yaml);
        if (!parsed.IsValid)
        {
            return RecipeBody.Invalid(parsed.Errors);
        }
        var found = await workItems.FindAsync(key, itemKey, cancellationToken);
        if (found.Value is not { } item)
        {
            return found.Failure!;
        }
        var hash = RecipeHash.Compute(yaml);
        // Tools often PUT the same recipe on every commit: answer that from a read, without a write.
        if (await CurrentAsync(item, cancellationToken) is { } unchanged && unchanged.ContentHash == hash)
        {
            return (unchanged with { Recipe = parsed.Recipe! }, false);
        }
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Lock the work item's row, then read its current version: concurrent PUTs queue here.
        await db.WorkItems.Where(w => w.Id == item.Id).ExecuteUpdateAsync(set => set.SetProperty(w => w.UpdatedAt, now), cancellationToken);
        await db.Entry(item).ReloadAsync(cancellationToken);
        if (await CurrentAsync(item, cancellationToken) is { } same && same.ContentHash == hash)
        {
            return (same with { Recipe = parsed.Recipe! }, false);
        }
        var next = new RecipeVersion(item.Id, (item.RecipeVersion ?? 0) + 1, yaml,
            JsonSerializer.Serialize(parsed.Recipe, BatonJson.Options), hash, actor, now);
        db.RecipeVersions.Add(next);
        item.UseRecipeVersion(next.Version, now);
        audit.Record(actor, "recipe.set", $"project:{key}/{item.Key}", $"version={next.Version} {hash}");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (new RecipeDto(item.Key, next.Version, hash, parsed.Recipe!, actor, now), true);
    }

    public static RecipeDto ToDto(string itemKey, RecipeVersion version)
    {
        ArgumentNullException.ThrowIfNull(version);
        var spec = JsonSerializer.Deserialize<RecipeSpec>(version.ParsedJson, BatonJson.Options)!;
        return new RecipeDto(itemKey, version.Version, version.ContentHash, spec, version.CreatedBy, version.CreatedAt);
    }

    /// <summary>The current version's metadata, without its (possibly large) texts; Recipe is filled by the caller.</summary>
    private async Task<RecipeDto?> CurrentAsync(WorkItem item, CancellationToken cancellationToken)
    {
        if (item.RecipeVersion is not { } version)
        {
            return null;
        }
        var itemKey = item.Key;
        return await db.RecipeVersions.AsNoTracking()
            .Where(r => r.WorkItemId == item.Id && r.Version == version)
            .Select(r => new RecipeDto(itemKey, r.Version, r.ContentHash, null!, r.CreatedBy, r.CreatedAt))
            .SingleAsync(cancellationToken);
    }
}
