using Baton.Cli.Client;
using Baton.Contracts.Agents;
using Baton.Core.Runs;
using Baton.Server.Features.Runs;

namespace Baton.Cli.Follow;

/// <summary>How a followed run is shown: live on a terminal, as plain lines into a pipe, or as one JSON document at the end.</summary>
internal abstract class FollowView
{
    /// <summary>Runs <paramref name="body"/> while the view is on screen (a live display owns the terminal meanwhile).</summary>
    public virtual Task<T> ShowWhileAsync<T>(FollowState state, Func<Task<T>> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return body();
    }

    public virtual void Lines(FollowState state, IReadOnlyList<LogBatchLine> lines) { }

    public virtual void StepsMoved(FollowState state, IReadOnlyList<(RunStepDto Step, RunStepDto? Before)> moved, RunStatus before) { }

    public virtual void Tick(FollowState state) { }

    public abstract void Finished(FollowState state, ApiResult<RunDto> final);
}
