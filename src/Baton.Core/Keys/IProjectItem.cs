namespace Baton.Core.Keys;

/// <summary>Something numbered within a project (REQ-n, WI-n): found by project and number.</summary>
public interface IProjectItem
{
    long ProjectId { get; }
    int Number { get; }
}
