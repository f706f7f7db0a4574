namespace Baton.Core.Projects;

/// <summary>One submitted text of a project's vision. Versions are never edited; the latest is current.</summary>
public sealed class VisionVersion
{
    private VisionVersion() { }

    public VisionVersion(long projectId, int version, string text, string createdBy, DateTimeOffset createdAt)
    {
        ProjectId = projectId;
        Version = version;
        Text = text;
        CreatedBy = createdBy;
        CreatedAt = createdAt;
    }

    public long Id { get; private set; }
    public long ProjectId { get; private set; }
    public int Version { get; private set; }
    public string Text { get; private set; } = "";
    public string CreatedBy { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
}
