using System.Globalization;
using Baton.Contracts.Runs;
using Baton.Core.Runs;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Baton.Cli.Output;

/// <summary>The pieces every table shares: columns, cells that are text (never markup), times, durations and status colours.</summary>
internal static class Tables
{
    public static Table Of(params string[] columns)
    {
        var table = new Table().Border(TableBorder.Simple);
        foreach (var column in columns)
        {
            table.AddColumn(new TableColumn(new Text(column, new Style(decoration: Decoration.Bold))));
        }
        return table;
    }

    /// <summary>Adds a row; strings are shown as they are (a title with [brackets] is not markup), renderables as rendered.</summary>
    public static Table Row(this Table table, params object?[] cells)
    {
        ArgumentNullException.ThrowIfNull(table);
        table.AddRow(cells.Select(Cell));
        return table;
    }

    /// <summary>A two-column "field: value" view of one record.</summary>
    public static Grid Fields(params (string Name, object? Value)[] fields)
    {
        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        foreach (var (name, value) in fields)
        {
            grid.AddRow(new Text(name, new Style(decoration: Decoration.Bold)), Cell(value));
        }
        return grid;
    }

    public static string Time(DateTimeOffset? time) =>
        time?.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "";

    public static string Duration(double? seconds) => seconds switch
    {
        null => "",
        < 1 => string.Create(CultureInfo.InvariantCulture, $"{seconds * 1000:0} ms"),
        < 60 => string.Create(CultureInfo.InvariantCulture, $"{seconds:0.0} s"),
        < 3600 => string.Create(CultureInfo.InvariantCulture, $"{(int)(seconds / 60)} min {seconds % 60:0} s"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{(int)(seconds / 3600)} h {(int)(seconds % 3600 / 60)} min"),
    };

    /// <summary>The wire name of an enum value (snake_case), as the API and the docs spell it.</summary>
    public static string Wire<T>(T value) where T : struct, Enum =>
        System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    public static IRenderable Status(RunStatus status) => new Text(Wire(status), new Style(StatusColour(status)));

    public static IRenderable Status(StepStatus status) => new Text(Wire(status), new Style(status switch
    {
        StepStatus.Succeeded => Color.Green,
        StepStatus.Failed or StepStatus.TimedOut => Color.Red,
        StepStatus.Running => Color.Blue,
        StepStatus.Cancelled => Color.Yellow,
        _ => Color.Grey,
    }));

    public static Color StatusColour(RunStatus status) => status switch
    {
        RunStatus.Succeeded => Color.Green,
        RunStatus.Failed or RunStatus.TimedOut or RunStatus.Lost => Color.Red,
        RunStatus.Running => Color.Blue,
        RunStatus.PendingApproval or RunStatus.Cancelled or RunStatus.Blocked => Color.Yellow,
        _ => Color.Grey,
    };

    public static string List(IEnumerable<string>? items) => items is null ? "" : string.Join(", ", items);

    private static IRenderable Cell(object? value) => value switch
    {
        IRenderable renderable => renderable,
        null => new Text(""),
        IFormattable formattable => new Text(formattable.ToString(null, CultureInfo.InvariantCulture)),
        _ => new Text(value.ToString() ?? ""),
    };
}
