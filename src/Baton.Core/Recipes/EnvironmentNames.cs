namespace Baton.Core.Recipes;

/// <summary>
/// Variables neither a recipe nor a secret may set. The loader and shell ones run code of the
/// setter's choosing in every later process (LD_PRELOAD, BASH_ENV, NODE_OPTIONS, ...), the way
/// GitHub Actions' <c>::set-env</c> did (CVE-2020-15228); Baton's own describe the run and must
/// say what Baton says.
/// </summary>
public static class EnvironmentNames
{
    private static readonly string[] Forbidden =
        ["LD_PRELOAD", "LD_LIBRARY_PATH", "LD_AUDIT", "BASH_ENV", "ENV", "NODE_OPTIONS", "PROMPT_COMMAND", "BATON", "TRACEPARENT"];

    /// <summary>Why <paramref name="name"/> may not be set, or null when it may.</summary>
    public static string? Problem(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Forbidden.Contains(name) || name.StartsWith("BATON_", StringComparison.OrdinalIgnoreCase)
            ? $"{name} may not be set by a recipe or a secret: it changes how processes load or is Baton's own"
            : null;
    }
}
