using System.Security.Claims;
using Baton.Core.Access;
using Baton.Server.Infrastructure.Auth;

namespace Baton.Server.Ui.Session;

/// <summary>Who is looking at a page, and what the page may offer them (the API checks again on every write).</summary>
public sealed record UiUser(string Name, Role Role)
{
    /// <summary>Maintainers and admins: propose, approve, start, cancel (the <see cref="Policies.Write"/> policy's rule).</summary>
    public bool CanWrite => Role.Satisfies(Role.Maintainer);

    public static UiUser? From(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true && user.TokenRole() is { } role ? new UiUser(user.Actor(), role) : null;
}
