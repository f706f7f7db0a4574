namespace Baton.Core.Access;

/// <summary>What a token may do. Ordered by power for the human roles; agent is separate.</summary>
public enum Role
{
    /// <summary>Reads everything a person may see.</summary>
    Viewer,
    /// <summary>Viewer, plus every write to the delivery model.</summary>
    Maintainer,
    /// <summary>Maintainer, plus tokens, audit and settings.</summary>
    Admin,
    /// <summary>The agent protocol only; no reads or writes of the delivery model.</summary>
    Agent,
}

public static class RoleRules
{
    /// <summary>Whether <paramref name="held"/> satisfies a requirement of <paramref name="needed"/>.</summary>
    public static bool Satisfies(this Role held, Role needed) => (held, needed) switch
    {
        (Role.Agent, Role.Agent) => true,
        (Role.Agent, _) or (_, Role.Agent) => false,
        _ => held >= needed,
    };
}
