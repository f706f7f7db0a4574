namespace Baton.Core.Recipes;

/// <summary>
/// Working directories are relative to the run's workspace and may never leave it. Checked
/// on text alone (no file system): absolute forms are refused, '.' and '..' are resolved.
/// </summary>
public static class WorkspacePath
{
    /// <summary>The normalised relative path ("." for the workspace itself), or null when it escapes.</summary>
    public static string? Normalize(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (IsAbsolute(path))
        {
            return null;
        }
        var parts = new List<string>();
        foreach (var segment in path.Split('/', '\\'))
        {
            switch (segment)
            {
                case "" or ".":
                    continue;
                case "..":
                    if (parts.Count == 0)
                    {
                        return null;
                    }
                    parts.RemoveAt(parts.Count - 1);
                    continue;
                default:
                    parts.Add(segment);
                    continue;
            }
        }
        return parts.Count == 0 ? "." : string.Join('/', parts);
    }

    /// <summary>A step's cwd under the recipe's cwd, or null when the combination escapes.</summary>
    public static string? Combine(string baseCwd, string stepCwd) =>
        IsAbsolute(stepCwd) ? null : Normalize($"{baseCwd}/{stepCwd}");

    private static bool IsAbsolute(string path) =>
        path.StartsWith('/') || path.StartsWith('\\') || path.StartsWith('~') || (path.Length >= 2 && path[1] == ':');
}
