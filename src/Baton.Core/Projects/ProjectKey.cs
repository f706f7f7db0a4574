using System.Text.RegularExpressions;

namespace Baton.Core.Projects;

/// <summary>Project keys are URL slugs: they appear in every route and never change.</summary>
public static partial class ProjectKey
{
    public const int MaxLength = 40;
    public const string Rule = "2-40 characters: lowercase letters, digits and '-', starting with a letter";

    public static bool IsValid(string? key) => key is not null && Pattern().IsMatch(key);

    [GeneratedRegex("^[a-z][a-z0-9-]{1,39}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
