using Baton.Core.Access;

namespace Baton.Server.Features.Sessions;

/// <summary>Who the caller is, and until when its credential works.</summary>
/// <param name="ExpiresAt">For a session: when it ends unless used again (it is renewed, never past the token's expiry).
/// For a bearer caller: the token's expiry. Null: never.</param>
/// <param name="CsrfToken">For a session: the anti-forgery token its writes send as <c>X-CSRF-Token</c> (also in the
/// readable <c>XSRF-TOKEN</c> cookie). Null for a bearer caller, who needs none.</param>
public sealed record SessionDto(string Name, Role Role, DateTimeOffset? ExpiresAt, string? CsrfToken);
