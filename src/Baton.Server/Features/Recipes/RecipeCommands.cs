using System.Text.Json;
using Baton.Contracts.Json;
using Baton.Contracts.Recipes;
using Baton.Core.Recipes;
using Baton.Persistence;
using Baton.Persistence.Storage;
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
        var current = item.RecipeVersion is { } version
            ? await db.RecipeVersions.SingleAsync(r => r.WorkItemId == item.Id && r.Version == version, cancellationToken)
            : null;
        if (current?.ContentHash == hash)
        {
            return (current, false);
        }
        var now = clock.GetUtcNow();
        var next = new RecipeVersion(item.Id, (item.RecipeVersion ?? 0) + 1, yaml,
            JsonSerializer.Serialize(parsed.Recipe, BatonJson.Options), hash, actor, now);
        db.RecipeVersions.Add(next);
        item.UseRecipeVersion(next.Version, now);
        audit.Record(actor, "recipe.set", $"project:{key}/{item.Key}", $"version={next.Version} {hash}");
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (DbErrors.IsUniqueViolation(exception))
        {
            return Failure.Conflict($"the recipe of {item.Key} was changed at the same moment; send it again");
        }
        return (next, true);
    }

    public static RecipeDto ToDto(string itemKey, RecipeVersion version)
    {
        ArgumentNullException.ThrowIfNull(version);
        var spec = JsonSerializer.Deserialize<RecipeSpec>(version.ParsedJson, BatonJson.Options)!;
        return new RecipeDto(itemKey, version.Version, version.ContentHash, spec, version.CreatedBy, version.CreatedAt);
    }
}
