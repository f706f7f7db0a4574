namespace Baton.Core.Access;

/// <summary>
/// A once-only fact about the installation (e.g. "the first admin token was made").
/// The key is the primary key, so two servers racing to do the same first-start step
/// cannot both succeed.
/// </summary>
public sealed class SystemMarker
{
    private SystemMarker() { }

    public SystemMarker(string key, DateTimeOffset createdAt)
    {
        Key = key;
        CreatedAt = createdAt;
    }

    public const string BootstrapToken = "bootstrap-token";
    /// <summary>Present while the scheduler's queue is paused: no plan item starts, no schedule fires.</summary>
    public const string QueuePaused = "queue-paused";

    public string Key { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
}
