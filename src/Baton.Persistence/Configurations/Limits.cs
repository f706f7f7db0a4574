namespace Baton.Persistence.Configurations;

/// <summary>Column sizes shared by the configurations and the API's input checks.</summary>
public static class Limits
{
    public const int NameLength = 200;
    public const int DescriptionLength = 20_000;
    public const int ActorLength = 200;
    public const int ReasonLength = 4_000;
    public const int LabelLength = 64;
    public const int VisionLength = 200_000;
    /// <summary>An audit event's subject (e.g. "project:demo/WI-1", "POST /api/projects"), its longest text column.</summary>
    public const int AuditSubjectLength = 300;
}
