using System.Security.Claims;
using Baton.Persistence;
using Baton.Persistence.Configurations;
using Baton.Server.Infrastructure.Audit;
using Microsoft.AspNetCore.Mvc;

namespace Baton.Server.Infrastructure.Auth;

/// <summary>
/// What the bearer scheme and the session cookie say and record alike when they refuse a caller, so that a
/// 401 or 403 reads, and is audited, the same whichever credential was used.
/// </summary>
internal static class AuthRefusals
{
    public static string ForbiddenDetail(ClaimsPrincipal user) =>
        $"a token with role '{user.TokenRole()?.ToString().ToLowerInvariant() ?? "unknown"}' may not do this";

    /// <summary>The request as an audit subject ("POST /api/projects"), cut to the column's size.</summary>
    public static string Subject(HttpRequest request)
    {
        var subject = $"{request.Method} {request.Path}";
        return subject.Length > Limits.AuditSubjectLength ? subject[..Limits.AuditSubjectLength] : subject;
    }

    /// <summary>Saved on its own: the request stops here, so no command's unit of work will carry it.</summary>
    public static async Task RecordAsync(BatonDbContext db, AuditTrail audit, string actor, string action, string subject, string? detail)
    {
        audit.Record(actor, action, subject, detail);
        await db.SaveChangesAsync(CancellationToken.None);
        db.ChangeTracker.Clear();
    }

    public static async Task WriteAsync(IProblemDetailsService problems, HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        await problems.WriteAsync(new()
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }
}
