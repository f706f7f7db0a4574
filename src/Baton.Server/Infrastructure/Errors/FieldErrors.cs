namespace Baton.Server.Infrastructure.Errors;

/// <summary>Collects every problem with a request's fields, so a client fixes them all at once.</summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var messages))
        {
            _errors[field] = messages = [];
        }
        messages.Add(message);
    }

    /// <summary>Checks a required, trimmed text of bounded length.</summary>
    public void RequireText(string field, string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Add(field, $"'{field}' is required and must not be blank");
        }
        else
        {
            Limit(field, value, maxLength);
        }
    }

    public void Limit(string field, string? value, int maxLength)
    {
        if (value is not null && value.Length > maxLength)
        {
            Add(field, $"'{field}' must be at most {maxLength} characters (got {value.Length})");
        }
    }

    public void Range(string field, int? value, int min, int max)
    {
        if (value is { } number && (number < min || number > max))
        {
            Add(field, $"'{field}' must be between {min} and {max} (got {number})");
        }
    }

    /// <summary>Checks that a time window, when both ends are given, ends after it starts.</summary>
    public void TimeRange(DateTimeOffset? since, DateTimeOffset? until)
    {
        if (since is not null && until is not null && until <= since)
        {
            Add("until", "'until' must be after 'since'");
        }
    }

    public Failure ToFailure() =>
        Failure.Invalid(_errors.ToDictionary(pair => pair.Key, pair => pair.Value.ToArray(), StringComparer.Ordinal));
}
