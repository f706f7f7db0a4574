using Baton.Contracts.Agents;
using Baton.Core.Runs;
using Baton.Server.Features.Runs;

namespace Baton.Cli.Follow;

/// <summary>What the follower knows of the run so far: its status, each step, the last log lines, and how far the log has been read.</summary>
internal sealed class FollowState(RunDto run, int tailLength)
{
    private readonly Queue<LogBatchLine> _tail = new();

    public RunDto Run { get; } = run;

    public RunStatus Status { get; private set; } = run.Status;

    public SortedDictionary<int, RunStepDto> Steps { get; } = new(run.Steps.ToDictionary(s => s.Index));

    public IReadOnlyCollection<LogBatchLine> Tail => _tail;

    /// <summary>The number of the last log line shown: lines at or before it are never shown again.</summary>
    public long LastLine { get; private set; }

    public bool LogsEnded { get; private set; }

    public bool StepsEnded { get; private set; }

    public bool Over => LogsEnded && StepsEnded;

    /// <summary>Applies the lines; answers those not seen before (a resumed stream never repeats, but a view must not either).</summary>
    public IReadOnlyList<LogBatchLine> Add(IReadOnlyList<LogBatchLine> lines)
    {
        var fresh = lines.Where(l => l.N > LastLine).ToList();
        foreach (var line in fresh)
        {
            _tail.Enqueue(line);
            if (_tail.Count > tailLength)
            {
                _tail.Dequeue();
            }
        }
        if (fresh.Count > 0)
        {
            LastLine = fresh[^1].N;
        }
        return fresh;
    }

    /// <summary>Applies step changes; answers each step whose status moved, with its status before.</summary>
    public IReadOnlyList<(RunStepDto Step, RunStepDto? Before)> Apply(IReadOnlyList<RunStepDto> steps, RunStatus status)
    {
        Status = status;
        var moved = new List<(RunStepDto, RunStepDto?)>();
        foreach (var step in steps)
        {
            Steps.TryGetValue(step.Index, out var before);
            if (before is null || before.Status != step.Status || before.Attempt != step.Attempt)
            {
                moved.Add((step, before));
            }
            Steps[step.Index] = step;
        }
        return moved;
    }

    public void Ended(bool logs)
    {
        if (logs)
        {
            LogsEnded = true;
        }
        else
        {
            StepsEnded = true;
        }
    }
}
