using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Baton.Server.Infrastructure.Errors;

namespace Baton.Server.Infrastructure.Paging;

/// <summary>
/// <c>?limit=&amp;cursor=</c> of every list. Lists are ordered by a stable ascending number;
/// the cursor is that number of the last item sent, opaque to clients.
/// </summary>
public sealed record PageQuery(int? Limit, string? Cursor)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    /// <summary>The effective limit and the position to continue after, or why the query is invalid.</summary>
    public Outcome<(int Limit, long After)> Resolve()
    {
        var errors = new FieldErrors();
        if (Limit is < 1)
        {
            errors.Add("limit", $"'limit' must be between 1 and {MaxLimit}");
        }
        var after = 0L;
        if (!string.IsNullOrEmpty(Cursor) && !TryDecode(Cursor, out after))
        {
            errors.Add("cursor", "'cursor' is not a cursor this server handed out");
        }
        if (errors.Any)
        {
            return errors.ToFailure();
        }
        // Larger limits are capped, not refused: a client asking for "everything" still gets pages.
        return (Math.Min(Limit ?? DefaultLimit, MaxLimit), after);
    }

    public static string Encode(long position) =>
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes(position.ToString(CultureInfo.InvariantCulture)));

    private static bool TryDecode(string cursor, out long position)
    {
        position = 0;
        try
        {
            var text = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(cursor));
            return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out position) && position > 0;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
