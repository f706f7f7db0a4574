namespace Baton.Core.Audit;

/// <summary>An append-only record of who did what to which subject, from where, and when.</summary>
public sealed class AuditEvent
{
    private AuditEvent() { }

    public AuditEvent(DateTimeOffset at, string actor, string action, string subject, string? sourceAddress, string? details)
    {
        At = at;
        Actor = actor;
        Action = action;
        Subject = subject;
        SourceAddress = sourceAddress;
        Details = details;
    }

    public long Id { get; private set; }
    public DateTimeOffset At { get; private set; }
    public string Actor { get; private set; } = "";
    public string Action { get; private set; } = "";
    public string Subject { get; private set; } = "";
    public string? SourceAddress { get; private set; }
    public string? Details { get; private set; }
}
