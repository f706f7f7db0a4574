using System.Text.RegularExpressions;
using Baton.Persistence.Configurations;
using Baton.Server.Infrastructure.Errors;

namespace Baton.Server.Features.Projects;

/// <summary>Agent routing labels (e.g. "linux", "gpu"): short tokens, compared exactly.</summary>
public static partial class Labels
{
    public const int MaxCount = 20;

    public static void Check(FieldErrors errors, string field, IReadOnlyList<string>? labels)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (labels is null)
        {
            return;
        }
        if (labels.Count > MaxCount)
        {
            errors.Add(field, $"at most {MaxCount} labels");
        }
        foreach (var label in labels.Where(label => !Pattern().IsMatch(label)))
        {
            errors.Add(field, $"'{label}' is not a label: 1-{Limits.LabelLength} letters, digits, '.', '_', ':' or '-', starting with a letter or digit");
        }
    }

    /// <summary>Distinct, in the order given.</summary>
    public static IReadOnlyList<string> Normalize(IReadOnlyList<string> labels) => labels.Distinct(StringComparer.Ordinal).ToList();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
