namespace Baton.Core.Secrets;

/// <summary>
/// A value a project's runs get as an environment variable of the same name. Only its protected
/// (encrypted) form is kept; nothing about the value, not even its length, is stored in clear.
/// </summary>
public sealed class ProjectSecret
{
    private ProjectSecret() { }

    public ProjectSecret(long projectId, string name, string protectedValue, string actor, DateTimeOffset now)
    {
        ProjectId = projectId;
        Name = name;
        ProtectedValue = protectedValue;
        CreatedBy = UpdatedBy = actor;
        CreatedAt = UpdatedAt = now;
    }

    public long Id { get; private set; }
    public long ProjectId { get; private set; }
    public string Name { get; private set; } = "";
    public string ProtectedValue { get; private set; } = "";
    public string CreatedBy { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    public string UpdatedBy { get; private set; } = "";
    public DateTimeOffset UpdatedAt { get; private set; }

    public void Replace(string protectedValue, string actor, DateTimeOffset now)
    {
        ProtectedValue = protectedValue;
        UpdatedBy = actor;
        UpdatedAt = now;
    }
}
