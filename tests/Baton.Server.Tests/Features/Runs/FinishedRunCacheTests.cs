using Baton.Core.Runs;
using Baton.Server.Features.Runs;
using Microsoft.Extensions.Time.Testing;

namespace Baton.Server.Tests.Features.Runs;

public sealed class FinishedRunCacheTests
{
    private readonly FakeTimeProvider _clock = new();

    public static TheoryData<RunStatus> EveryStatus => [.. Enum.GetValues<RunStatus>()];

    [Theory]
    [MemberData(nameof(EveryStatus))]
    public void OnlyAFinishedRun_IsKept_AndOnlyUntilItsLifetimeHasPassed(RunStatus status)
    {
        using var cache = new FinishedRunCache(_clock);
        cache.Offer(Run(7, status));

        _clock.Advance(FinishedRunCache.Lifetime - TimeSpan.FromSeconds(1));
        // A run that may still change (waiting, running, lost, blocked) is never kept.
        Assert.Equal(RunStateMachine.IsFinal(status), cache.TryGet(7, out var kept));
        Assert.Equal(RunStateMachine.IsFinal(status) ? status : null, kept?.Status);

        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.False(cache.TryGet(7, out _));
    }

    [Fact]
    public void RunsPastTheSizeLimit_AreNotAllKept()
    {
        using var cache = new FinishedRunCache(_clock);

        for (var id = 1; id <= FinishedRunCache.SizeLimit + 100; id++)
        {
            cache.Offer(Run(id, RunStatus.Succeeded));
        }

        var kept = Enumerable.Range(1, (int)FinishedRunCache.SizeLimit + 100).Count(id => cache.TryGet(id, out _));
        Assert.InRange(kept, 1, FinishedRunCache.SizeLimit);
    }

    private static RunDto Run(long id, RunStatus status) => new()
    {
        Id = id,
        Project = "p",
        WorkItem = "WI-1",
        Number = 1,
        Status = status,
        Trigger = RunTrigger.Manual,
        Attempt = 1,
        MaxAttempts = 1,
        RecipeVersion = 1,
        RecipeHash = "hash",
        Labels = [],
        Priority = 0,
        RequestedBy = "someone",
        CancelRequested = false,
        CreatedAt = DateTimeOffset.UnixEpoch,
        LogLines = 0,
        Steps = [],
    };
}
