using Baton.Core.Audit;
using Baton.Persistence;

namespace Baton.Server.Infrastructure.Audit;

/// <summary>
/// Adds audit events to the unit of work of the change they describe, so the change and its
/// record are saved together or not at all.
/// </summary>
public sealed class AuditTrail(BatonDbContext db, TimeProvider clock, IHttpContextAccessor http)
{
    public void Record(string actor, string action, string subject, string? details = null) =>
        db.AuditEvents.Add(new AuditEvent(clock.GetUtcNow(), actor, action, subject,
            http.HttpContext?.Connection.RemoteIpAddress?.ToString(), details));
}
