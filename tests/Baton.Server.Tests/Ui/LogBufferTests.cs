using Baton.Contracts.Agents;
using Baton.Contracts.Runs;
using Baton.Server.Features.Runs;
using Baton.Server.Ui.Runs;

namespace Baton.Server.Tests.Ui;

public sealed class LogBufferTests
{
    private static readonly DateTimeOffset At = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static List<LogBatchLine> Lines(long from, long to, int? step = 0, LogSourceName source = LogSourceName.Stdout,
        Func<long, string>? text = null) =>
        [.. Enumerable.Range((int)from, (int)(to - from + 1)).Select(n => new LogBatchLine(n, At, step, source, text?.Invoke(n) ?? $"line {n}"))];

    private static RunStepDto Step(int index, StepStatus status) => new(index, $"s{index}", status, 1, null, null, null, null);

    [Fact]
    public void Append_FillsFixedChunks_AndLeavesFullOnesAsTheyAre()
    {
        var buffer = new LogBuffer();
        buffer.Append(Lines(1, 700));
        var first = buffer.Chunks[0];
        buffer.Append(Lines(701, 1200));

        Assert.Equal([500, 500, 200], buffer.Chunks.Select(c => c.Lines.Count));
        Assert.Same(first, buffer.Chunks[0]);
        Assert.Equal(1200, buffer.Chunks[^1].Lines[^1].N);
    }

    [Fact]
    public void Append_PastTheCap_DropsTheOldestChunk_AndCountsIt()
    {
        var buffer = new LogBuffer(cap: 1000);
        buffer.Append(Lines(1, 1000));
        var kept = buffer.Chunks[1];
        buffer.Append(Lines(1001, 1001));

        Assert.Equal(500, buffer.Dropped);
        Assert.Equal(501, buffer.Count);
        Assert.Same(kept, buffer.Chunks[0]);
        Assert.Equal(501, buffer.Chunks[0].Lines[0].N);
    }

    [Fact]
    public void FilterStep_ShowsOnlyThatStep_OrBatonsOwnLines()
    {
        var buffer = new LogBuffer();
        buffer.Append([.. Lines(1, 2, step: 0), .. Lines(3, 4, step: 1), .. Lines(5, 5, step: null, LogSourceName.System)]);

        buffer.FilterStep(1);
        Assert.Equal([3L, 4L], buffer.Chunks.SelectMany(c => c.Lines).Select(l => l.N));
        buffer.FilterStep(LogBuffer.NoStep);
        Assert.Equal([5L], buffer.Chunks.SelectMany(c => c.Lines).Select(l => l.N));
        buffer.Append(Lines(6, 6, step: 1));
        Assert.Equal([5L], buffer.Chunks.SelectMany(c => c.Lines).Select(l => l.N));
        buffer.FilterStep(null);
        Assert.Equal(6, buffer.Chunks.SelectMany(c => c.Lines).Count());
    }

    [Fact]
    public void Search_CountsEveryMatch_InAnyCase_AndMovesRoundTheEnds()
    {
        var buffer = new LogBuffer();
        buffer.Append(Lines(1, 3, text: n => n == 2 ? "Needle needle" : $"needle {n}"));

        buffer.SetSearch("NEEDLE");
        Assert.Equal(4, buffer.Matches.Count);
        Assert.Equal(new LogMatch(1, 0, 6), buffer.CurrentMatch);
        buffer.Move(-1);
        Assert.Equal(new LogMatch(3, 0, 6), buffer.CurrentMatch);
        buffer.Move(1);
        buffer.Move(1);
        Assert.Equal(new LogMatch(2, 0, 6), buffer.CurrentMatch);
        buffer.Append(Lines(4, 4, text: _ => "a needle"));
        Assert.Equal(5, buffer.Matches.Count);
    }

    [Fact]
    public void Search_MatchesVisibleText_NotEscapes()
    {
        var buffer = new LogBuffer();
        buffer.Append(Lines(1, 1, text: _ => "\u001b[31mred\u001b[0m"));

        buffer.SetSearch("31m");
        Assert.Empty(buffer.Matches);
        buffer.SetSearch("red");
        Assert.Single(buffer.Matches);
    }

    [Fact]
    public void FirstError_IsTheFailedStepsFirstStderrLine()
    {
        var buffer = new LogBuffer();
        buffer.Append([.. Lines(1, 1, step: 0, text: _ => "error: not this one"), .. Lines(2, 2, step: 1), .. Lines(3, 4, step: 1, LogSourceName.Stderr)]);

        Assert.Equal(3, buffer.FirstError([Step(0, StepStatus.Succeeded), Step(1, StepStatus.Failed)])!.N);
    }

    [Fact]
    public void FirstError_WithoutAFailedStep_IsTheFirstLineSayingErrorOrFailed()
    {
        var buffer = new LogBuffer();
        buffer.Append(Lines(1, 4, text: n => n switch { 2 => "errors: 0", 3 => "Build FAILED.", _ => "ok" }));

        Assert.Equal(3, buffer.FirstError([Step(0, StepStatus.Succeeded)])!.N);
        Assert.Null(new LogBuffer().FirstError([]));
    }
}
