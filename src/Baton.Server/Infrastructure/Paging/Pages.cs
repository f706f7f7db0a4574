using Baton.Contracts.Paging;

namespace Baton.Server.Infrastructure.Paging;

public static class Pages
{
    /// <summary>
    /// Builds a page from up to <paramref name="limit"/> + 1 rows fetched in order: the extra
    /// row only tells whether another page exists.
    /// </summary>
    public static Page<TOut> From<TIn, TOut>(IReadOnlyList<TIn> rows, int limit, Func<TIn, long> position, Func<TIn, TOut> map)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var items = rows.Take(limit).Select(map).ToList();
        var next = rows.Count > limit ? PageQuery.Encode(position(rows[limit - 1])) : null;
        return new Page<TOut>(items, next);
    }
}
