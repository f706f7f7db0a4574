using System.Text.RegularExpressions;
using Baton.Cli.Client;
using Baton.Cli.Output;
using Baton.Contracts.Agents;
using Baton.Contracts.Runs;
using Baton.Core.Runs;
using Baton.Server.Features.Runs;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Baton.Cli.Follow;

/// <summary>
/// On a terminal: one live display of the run's status, every step with its state and time, and the log's last
/// lines, redrawn on each change and each second. What is left on screen at the end is the finished run.
/// </summary>
internal sealed partial class LiveView(IAnsiConsole console, Uri server, TimeProvider clock) : FollowView
{
    private LiveDisplayContext? _live;

    public override async Task<T> ShowWhileAsync<T>(FollowState state, Func<Task<T>> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        T result = default!;
        await console.Live(Render(state)).AutoClear(false).Overflow(VerticalOverflow.Ellipsis).StartAsync(async context =>
        {
            _live = context;
            try
            {
                result = await body();
            }
            finally
            {
                context.UpdateTarget(Render(state));
                context.Refresh();
                _live = null;
            }
        });
        return result;
    }

    public override void Lines(FollowState state, IReadOnlyList<LogBatchLine> lines) => Redraw(state);

    public override void StepsMoved(FollowState state, IReadOnlyList<(RunStepDto Step, RunStepDto? Before)> moved, RunStatus before) => Redraw(state);

    public override void Tick(FollowState state) => Redraw(state);

    public override void Finished(FollowState state, ApiResult<RunDto> final)
    {
        ArgumentNullException.ThrowIfNull(final);
        var run = final.Value;
        console.MarkupLine($"[{Tables.StatusColour(run.Status).ToMarkup()}]run {run.Id} {Tables.Wire(run.Status)}[/]"
            + Markup.Escape((run.DurationSeconds is { } seconds ? $" in {Tables.Duration(seconds)}" : "")
                + (run.ExitCode is { } code ? $", exit code {code}" : "")
                + (run.StatusReason is { Length: > 0 } reason ? $": {reason}" : ""))
            + $"  [grey]whole log: baton logs {run.Id}  ·  {Markup.Escape(new Uri(server, $"runs/{run.Id}").ToString())}[/]");
    }

    private void Redraw(FollowState state)
    {
        if (_live is { } live)
        {
            live.UpdateTarget(Render(state));
            live.Refresh();
        }
    }

    private Rows Render(FollowState state)
    {
        var run = state.Run;
        var header = new Markup($"[bold]run {run.Id}[/]  {Markup.Escape($"{run.Project}/{run.WorkItem} #{run.Number}")}  "
            + $"[{Tables.StatusColour(state.Status).ToMarkup()}]{Tables.Wire(state.Status)}[/]");
        var steps = Tables.Of("#", "STEP", "STATUS", "TIME", "EXIT");
        foreach (var step in state.Steps.Values)
        {
            steps.Row(step.Index + 1, step.Name, Tables.Status(step.Status), Tables.Duration(Seconds(step)), step.ExitCode);
        }
        var tail = state.Tail.Count == 0
            ? new Text("(no output yet)", new Style(Color.Grey))
            : new Text(string.Join('\n', state.Tail.Select(l => Printable(l.Text))));
        return new Rows(header, steps, new Panel(tail) { Header = new PanelHeader("log, last lines"), Expand = true });
    }

    /// <summary>A running step's time so far; a finished one's as reported.</summary>
    private double? Seconds(RunStepDto step) =>
        step.DurationSeconds ?? (step.Status == StepStatus.Running && step.StartedAt is { } started ? (clock.GetUtcNow() - started).TotalSeconds : null);

    /// <summary>Colour codes and other escapes would fight the display; the tail shows the text only.</summary>
    private static string Printable(string text) => Escapes().Replace(text, "");

    [GeneratedRegex(@"\x1B(\[[0-9;?]*[ -/]*[@-~]|\][^\x07\x1B]*(\x07|\x1B\\)|[@-Z\\-_])|[\x00-\x08\x0B-\x1F\x7F]")]
    private static partial Regex Escapes();
}
