using System.Globalization;

namespace Baton.Core.Keys;

/// <summary>
/// Per-project item keys such as REQ-3 and WI-12: a fixed prefix and a dense number that
/// the project hands out. Parsing is strict so a typo is a clear 404 or 422, not a guess.
/// </summary>
public static class ItemKey
{
    public const string RequirementPrefix = "REQ";
    public const string WorkItemPrefix = "WI";

    public static string Requirement(int number) => Format(RequirementPrefix, number);
    public static string WorkItem(int number) => Format(WorkItemPrefix, number);

    public static bool TryParseRequirement(string? key, out int number) => TryParse(key, RequirementPrefix, out number);
    public static bool TryParseWorkItem(string? key, out int number) => TryParse(key, WorkItemPrefix, out number);

    private static string Format(string prefix, int number) =>
        string.Create(CultureInfo.InvariantCulture, $"{prefix}-{number}");

    public static bool TryParse(string? key, string prefix, out int number)
    {
        number = 0;
        if (key is null || key.Length <= prefix.Length + 1 || !key.StartsWith(prefix + "-", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        var digits = key.AsSpan(prefix.Length + 1);
        // Leading zeros or signs would give one item two spellings.
        return digits[0] is >= '1' and <= '9'
            && int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out number);
    }
}
