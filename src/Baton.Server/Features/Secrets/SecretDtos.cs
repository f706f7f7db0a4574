using Baton.Core.Secrets;

namespace Baton.Server.Features.Secrets;

/// <summary><c>PUT /api/projects/{key}/secrets/{name}</c>: the value, written once and never shown again.</summary>
public sealed record SetSecretRequest(string Value);

/// <summary>What may be known about a secret: never its value, nor its length.</summary>
public sealed record SecretDto(string Name, string CreatedBy, DateTimeOffset CreatedAt, string UpdatedBy, DateTimeOffset UpdatedAt)
{
    public static SecretDto From(ProjectSecret secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return new(secret.Name, secret.CreatedBy, secret.CreatedAt, secret.UpdatedBy, secret.UpdatedAt);
    }
}
