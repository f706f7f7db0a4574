using Baton.Contracts.Agents;
using Baton.Core.Runs;
using Baton.Server.Features.Runs;

namespace Baton.Cli.Follow;

/// <summary>What a follower reacts to, from the two streams, the clock and the keyboard, in one queue.</summary>
internal abstract record FollowEvent;

internal sealed record LinesArrived(IReadOnlyList<LogBatchLine> Lines) : FollowEvent;

internal sealed record StepsChanged(IReadOnlyList<RunStepDto> Steps, RunStatus Status) : FollowEvent;

/// <summary>One of the streams sent its end message (the run is over) or failed for good.</summary>
internal sealed record StreamEnded(bool Logs, Exception? Failure) : FollowEvent;

/// <summary>A second passed: running steps' durations move on screen.</summary>
internal sealed record Tick : FollowEvent;

/// <summary>Ctrl-C (SIGINT).</summary>
internal sealed record Interrupted : FollowEvent;
