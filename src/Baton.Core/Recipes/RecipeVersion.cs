namespace Baton.Core.Recipes;

/// <summary>
/// One version of a work item's recipe: the YAML exactly as written, its parsed form (JSON)
/// and the content hash that runs and approvals are bound to. Never edited.
/// </summary>
public sealed class RecipeVersion
{
    private RecipeVersion() { }

    public RecipeVersion(long workItemId, int version, string yaml, string parsedJson, string contentHash,
        string createdBy, DateTimeOffset createdAt)
    {
        WorkItemId = workItemId;
        Version = version;
        Yaml = yaml;
        ParsedJson = parsedJson;
        ContentHash = contentHash;
        CreatedBy = createdBy;
        CreatedAt = createdAt;
    }

    public long Id { get; private set; }
    public long WorkItemId { get; private set; }
    public int Version { get; private set; }
    public string Yaml { get; private set; } = "";
    public string ParsedJson { get; private set; } = "";
    public string ContentHash { get; private set; } = "";
    public string CreatedBy { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
}
