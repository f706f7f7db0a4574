using Baton.Core.Runs;
using Baton.Persistence;
using Baton.Server.Features.Runs;
using Baton.Server.Infrastructure.Signals;
using Microsoft.EntityFrameworkCore;

namespace Baton.Server.Features.Logs;

/// <summary>
/// <c>/api/runs/{id}/steps/stream</c>: every step first, then each step that changed, and the
/// run's status whenever it changes; ends with the final status.
/// </summary>
internal static class StepStream
{
    public static Task<IResult> HandleAsync(HttpContext context, long id, BatonDbContext db, RunQueries queries, RunSignals signals)
    {
        var sent = new Dictionary<int, RunStepDto>();
        RunStatus? lastStatus = null;
        return RunStreamSocket.ServeAsync(context, id, db, signals, async socket =>
        {
            var status = await db.Runs.AsNoTracking().Where(r => r.Id == id).Select(r => r.Status).SingleAsync(socket.Closed);
            var steps = await queries.StepsAsync(id, socket.Closed);
            var changed = steps.Where(s => !sent.TryGetValue(s.Index, out var before) || before != s).ToList();
            if (changed.Count > 0 || status != lastStatus)
            {
                await socket.SendAsync(new StepStreamMessage(RunStateMachine.IsFinal(status) ? "end" : "steps", changed, status));
                changed.ForEach(s => sent[s.Index] = s);
                lastStatus = status;
            }
            return RunStateMachine.IsFinal(status);
        });
    }
}

/// <summary>A message of the step stream: <c>steps</c> (those that changed) with the run's status, or <c>end</c>.</summary>
public sealed record StepStreamMessage(string Type, IReadOnlyList<RunStepDto> Steps, RunStatus Status);
