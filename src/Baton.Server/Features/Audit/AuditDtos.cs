using Baton.Core.Audit;

namespace Baton.Server.Features.Audit;

/// <summary>One audit record as the API shows it.</summary>
public sealed record AuditEventDto(long Id, DateTimeOffset At, string Actor, string Action, string Subject, string? SourceAddress, string? Details)
{
    public static AuditEventDto From(AuditEvent e) => new(e.Id, e.At, e.Actor, e.Action, e.Subject, e.SourceAddress, e.Details);
}
