using Baton.Core.Access;

namespace Baton.Server.Features.Tokens;

public sealed record CreateTokenRequest
{
    public required string Name { get; init; }
    public required Role Role { get; init; }
    /// <summary>When the token stops working; null: never.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }
}

public sealed record TokenDto(
    long Id, string Name, Role Role, string Prefix, string CreatedBy, DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt)
{
    public static TokenDto From(ApiToken token) => new(token.Id, token.Name, token.Role, token.DisplayPrefix,
        token.CreatedBy, token.CreatedAt, token.ExpiresAt, token.LastUsedAt, token.RevokedAt);
}

/// <summary>The answer to creating a token: the only time its secret is shown.</summary>
public sealed record CreatedTokenDto(TokenDto Token, string Secret);
