using Baton.Cli.Client;
using Baton.Cli.Output;
using Baton.Contracts.Agents;
using Baton.Contracts.Runs;
using Baton.Core.Runs;
using Baton.Server.Features.Runs;

namespace Baton.Cli.Follow;

/// <summary>
/// Into a pipe or file: stdout carries the log text as the steps wrote it (so it can be piped on), and stderr
/// says what happens to the run and each step, one line per change.
/// </summary>
internal sealed class PlainView(bool logOnly) : FollowView
{
    public override void Lines(FollowState state, IReadOnlyList<LogBatchLine> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        foreach (var line in lines)
        {
            Console.Out.WriteLine(line.Text);
        }
        Console.Out.Flush();
    }

    public override void StepsMoved(FollowState state, IReadOnlyList<(RunStepDto Step, RunStepDto? Before)> moved, RunStatus before)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(moved);
        if (logOnly)
        {
            return;
        }
        if (state.Status != before)
        {
            Console.Error.WriteLine($"run {state.Run.Id}: {Tables.Wire(state.Status)}");
        }
        foreach (var (step, _) in moved)
        {
            var text = step.Status switch
            {
                StepStatus.Running => $"step {step.Index + 1}/{state.Steps.Count} {step.Name}: running" + (step.Attempt > 1 ? $" (attempt {step.Attempt})" : ""),
                StepStatus.Pending => null,
                _ => $"step {step.Index + 1}/{state.Steps.Count} {step.Name}: {Tables.Wire(step.Status)}"
                    + (step.DurationSeconds is { } seconds ? $" in {Tables.Duration(seconds)}" : "")
                    + (step.ExitCode is { } code ? $" (exit code {code})" : ""),
            };
            if (text is not null)
            {
                Console.Error.WriteLine(text);
            }
        }
    }

    public override void Finished(FollowState state, ApiResult<RunDto> final)
    {
        ArgumentNullException.ThrowIfNull(final);
        var run = final.Value;
        Console.Error.WriteLine($"run {run.Id} {Tables.Wire(run.Status)}"
            + (run.DurationSeconds is { } seconds ? $" in {Tables.Duration(seconds)}" : "")
            + (run.ExitCode is { } code ? $", exit code {code}" : "")
            + (run.StatusReason is { Length: > 0 } reason ? $": {reason}" : ""));
    }
}
