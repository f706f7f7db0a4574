namespace Baton.Contracts.Paging;

/// <summary>
/// One page of a list. Every list in the API answers this shape; pass
/// <see cref="NextCursor"/> back as <c>cursor</c> for the next page (null: no more).
/// </summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);
