using Baton.Contracts.Runs;
using Baton.Core.Runs;
using Baton.Server.Features.Runs;
using Baton.Server.Ui.Common;

namespace Baton.Server.Ui.Runs;

/// <summary>
/// One bar of a run's timeline. <see cref="Offset"/> and <see cref="Width"/> are shares (0–100) of the run's whole span, from
/// its creation to its end (or now while it lasts), so bars sit where they happened and their widths compare as durations do.
/// </summary>
public sealed record TimelineBar(string Kind, string Label, string Status, string StatusWords, TimeSpan Duration, double Offset, double Width,
    bool Live);

/// <summary>Where a run spent its time: waiting for approval, waiting for an agent, then each step.</summary>
public static class TimelineBars
{
    public static IReadOnlyList<TimelineBar> For(RunDto run, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(run);
        var start = run.CreatedAt;
        var end = run.FinishedAt ?? now;
        var span = Math.Max((end - start).TotalMilliseconds, 1);
        var bars = new List<TimelineBar>();
        void Add(string kind, string label, string status, string words, DateTimeOffset from, DateTimeOffset to, bool live)
        {
            to = to < from ? from : to;
            var offset = Math.Clamp((from - start).TotalMilliseconds / span * 100, 0, 100);
            var width = Math.Clamp((to - from).TotalMilliseconds / span * 100, 0, 100 - offset);
            bars.Add(new TimelineBar(kind, label, status, words, to - from, offset, width, live));
        }

        if (run.Approval is not null)
        {
            var waiting = run.Status == RunStatus.PendingApproval;
            var (status, words) = waiting ? ("pending_approval", "waiting") : run.QueuedAt is not null ? ("approved", "approved") : ("rejected", "not approved");
            Add("approval", "Approval wait", status, words, start, run.QueuedAt ?? (waiting ? now : end), waiting);
        }
        if (run.QueuedAt is { } queued)
        {
            var waiting = run.Status == RunStatus.Queued;
            Add("queue", "Queue wait", waiting ? "queued" : "idle", waiting ? "waiting" : "waited", queued, run.StartedAt ?? (waiting ? now : end), waiting);
        }
        foreach (var step in run.Steps)
        {
            var live = step.Status == StepStatus.Running && run.FinishedAt is null;
            var from = step.StartedAt ?? end;
            Add("step", step.Name, UiText.Name(step.Status), UiText.Words(step.Status), from, step.FinishedAt ?? (live ? now : from), live);
        }
        return bars;
    }
}
