using Baton.Server.Infrastructure.Errors;

namespace Baton.Server.Ui.Projects;

/// <summary>
/// What a form shows after a command refused: each field's error next to its field, and anything the form has no field
/// for (a conflict, a refusal) as one alert. The command's own messages, so the page never restates the rules.
/// </summary>
public sealed class FormState
{
    private readonly Dictionary<string, string> _fields = new(StringComparer.OrdinalIgnoreCase);

    public string? Alert { get; private set; }

    public bool Busy { get; set; }

    /// <summary>The error of <paramref name="field"/>, or null.</summary>
    public string? this[string field] => _fields.GetValueOrDefault(field);

    public void Clear()
    {
        _fields.Clear();
        Alert = null;
    }

    /// <summary>
    /// Shows <paramref name="failure"/>: errors of the named fields (or their items, <c>field[2]</c>) by their field,
    /// the rest as the alert.
    /// </summary>
    public void Show(Failure failure, params string[] fields)
    {
        ArgumentNullException.ThrowIfNull(failure);
        ArgumentNullException.ThrowIfNull(fields);
        Clear();
        var unplaced = new List<string>();
        foreach (var (name, messages) in failure.Errors ?? new Dictionary<string, string[]>())
        {
            var field = fields.FirstOrDefault(f => name.Equals(f, StringComparison.OrdinalIgnoreCase)
                || name.StartsWith(f + "[", StringComparison.OrdinalIgnoreCase) || name.StartsWith(f + ".", StringComparison.OrdinalIgnoreCase));
            if (field is null)
            {
                unplaced.AddRange(messages);
            }
            else
            {
                _fields[field] = _fields.TryGetValue(field, out var earlier) ? $"{earlier}; {string.Join("; ", messages)}" : string.Join("; ", messages);
            }
        }
        if (_fields.Count == 0 || unplaced.Count > 0)
        {
            Alert = unplaced.Count > 0 ? string.Join("; ", unplaced) : failure.Detail;
        }
    }

    /// <summary>For an input's aria-invalid: "true" when its field has an error.</summary>
    public string Invalid(string field) => _fields.ContainsKey(field) ? "true" : "false";
}
