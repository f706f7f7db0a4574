using System.Text.Json;
using Baton.Contracts.Json;
using Baton.Contracts.Recipes;
using Baton.Core.Recipes;
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
    /// Returns the version in force and whether it was created.
    /// </summary>
    public async Task<Outcome<(RecipeVersion Version, bool Created)>> SetAsync(string key, string itemKey, string yaml, string actor,
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
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Lock the work item's row, then read its current version: concurrent PUTs queue here.
        await db.WorkItems.Where(w => w.Id == item.Id).ExecuteUpdateAsync(set => set.SetProperty(w => w.UpdatedAt, now), cancellationToken);
        await db.Entry(item).ReloadAsync(cancellationToken);
        var current = item.RecipeVersion is { } version
            ? await db.RecipeVersions.SingleAsync(r => r.WorkItemId == item.Id && r.Version == version, cancellationToken)
            : null;
        if (current?.ContentHash == hash)
        {
            return (current, false);
        }
        var next = new RecipeVersion(item.Id, (item.RecipeVersion ?? 0) + 1, yaml,
            JsonSerializer.Serialize(parsed.Recipe, BatonJson.Options), hash, actor, now);
        db.RecipeVersions.Add(next);
        item.UseRecipeVersion(next.Version, now);
        audit.Record(actor, "recipe.set", $"project:{key}/{item.Key}", $"version={next.Version} {hash}");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (next, true);
    }

    public static RecipeDto ToDto(string itemKey, RecipeVersion version)
    {
        ArgumentNullException.ThrowIfNull(version);
        var spec = JsonSerializer.Deserialize<RecipeSpec>(version.ParsedJson, BatonJson.Options)!;
        return new RecipeDto(itemKey, version.Version, version.ContentHash, spec, version.CreatedBy, version.CreatedAt);
    }
}
