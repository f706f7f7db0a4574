using System.CommandLine;
using Baton.Server.Infrastructure.Paging;

namespace Baton.Cli.Client;

/// <summary>List commands show one page: <c>--limit</c> sets its size, and a note says when there is more.</summary>
internal static class Paging
{
    private const int DefaultLimit = PageQuery.DefaultLimit;
    private const int MaxLimit = PageQuery.MaxLimit;

    public static Option<int> Limit()
    {
        var limit = new Option<int>("--limit") { Description = $"At most this many (1-{MaxLimit})", DefaultValueFactory = _ => DefaultLimit };
        limit.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > MaxLimit)
            {
                result.AddError($"--limit must be between 1 and {MaxLimit}");
            }
        });
        return limit;
    }

    /// <summary>Says on stderr that the list goes on, so a person knows the table is not all of it.</summary>
    public static void NoteMore<T>(ClientCall call, ApiResult<T> page)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(page);
        if (!call.Printer.Json && page.Json.TryGetProperty("nextCursor", out var cursor) && cursor.GetString() is { } nextCursor)
        {
            call.Printer.Note($"[grey]more: raise --limit (at most {MaxLimit}), or page with the API's cursor={Spectre.Console.Markup.Escape(nextCursor)}[/]");
        }
    }
}
