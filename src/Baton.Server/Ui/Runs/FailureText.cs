using Baton.Server.Infrastructure.Errors;

namespace Baton.Server.Ui.Runs;

/// <summary>A command's or filter's failure in words for a page: the field messages when it names fields (they say more than its summary).</summary>
public static class FailureText
{
    public static string Of(Failure failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return failure.Errors is { Count: > 0 } errors ? string.Join("; ", errors.Values.SelectMany(v => v)) : failure.Detail;
    }
}
