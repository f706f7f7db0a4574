namespace Baton.Core.Access;

/// <summary>A bearer token. Only the hash of its secret is kept.</summary>
public sealed class ApiToken
{
    private ApiToken() { }

    public ApiToken(string name, Role role, string secretHash, string displayPrefix, string createdBy,
        DateTimeOffset createdAt, DateTimeOffset? expiresAt)
    {
        Name = name;
        Role = role;
        SecretHash = secretHash;
        DisplayPrefix = displayPrefix;
        CreatedBy = createdBy;
        CreatedAt = createdAt;
        ExpiresAt = expiresAt;
    }

    public long Id { get; private set; }
    public string Name { get; private set; } = "";
    public Role Role { get; private set; }
    public string SecretHash { get; private set; } = "";
    public string DisplayPrefix { get; private set; } = "";
    public string CreatedBy { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? ExpiresAt { get; private set; }
    public DateTimeOffset? LastUsedAt { get; private set; }
    public DateTimeOffset? RevokedAt { get; private set; }

    public bool IsUsableAt(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > now);

    public void Revoke(DateTimeOffset now) => RevokedAt ??= now;
}
