using System.Globalization;

namespace Baton.Server.Ui.Runs;

/// <summary>
/// The run selector's filters as they stand in its address (<c>/runs?project=&amp;workItem=&amp;status=&amp;time=&amp;before=</c>), so a
/// filtered view is a link. Names and values are the API's (<c>GET /api/runs</c>), plus <c>time</c>: hour, day, week or all.
/// </summary>
public sealed record RunListFilter(string? Project, string? WorkItem, string? Status, string? Time, long? Before)
{
    public static readonly IReadOnlyList<(string Value, string Words, TimeSpan? Span)> Times =
    [
        ("all", "Any time", null),
        ("hour", "Last hour", TimeSpan.FromHours(1)),
        ("day", "Last day", TimeSpan.FromDays(1)),
        ("week", "Last week", TimeSpan.FromDays(7)),
    ];

    /// <summary>Blank values mean "no filter", as an empty form field sends them.</summary>
    public static RunListFilter From(string? project, string? workItem, string? status, string? time, long? before) =>
        new(Blank(project), Blank(workItem), Blank(status), Blank(time) is { } t && t != "all" ? t : null, before is > 0 ? before : null);

    /// <summary>The earliest creation time shown; null for any time (an unknown window also means any time, and says so).</summary>
    public DateTimeOffset? Since(DateTimeOffset now) => Times.FirstOrDefault(t => t.Value == Time).Span is { } span ? now - span : null;

    public bool KnownTime => Time is null || Times.Any(t => t.Value == Time);

    /// <summary>This filter's address, one page older when <paramref name="before"/> is given.</summary>
    public string Link(long? before = null)
    {
        var parts = new List<string>();
        Add(parts, "project", Project);
        Add(parts, "workItem", WorkItem);
        Add(parts, "status", Status);
        Add(parts, "time", Time);
        Add(parts, "before", before?.ToString(CultureInfo.InvariantCulture));
        return parts.Count == 0 ? "/runs" : "/runs?" + string.Join('&', parts);
    }

    private static void Add(List<string> parts, string name, string? value)
    {
        if (value is not null)
        {
            parts.Add($"{name}={Uri.EscapeDataString(value)}");
        }
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
