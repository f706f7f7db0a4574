using System.Collections.Concurrent;
using System.Net;
using Baton.Agent.Client;
using Baton.Agent.Execution;
using Baton.Agent.Logs;
using Baton.Agent.Tests.Client;
using Baton.Contracts.Agents;
using Baton.Tests.Support;

namespace Baton.Agent.Tests.Logs;

public sealed class LogShipperTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly string _spoolDirectory = Path.Combine(Path.GetTempPath(), "baton-spool-" + Guid.NewGuid().ToString("N"));
    private readonly FakeServer _server = new();

    private LogShipper Shipper(long epoch = 1, TimeSpan? refusalBudget = null) =>
        new(42, epoch, _server, new LogSpool(_spoolDirectory), TimeProvider.System, refusalBudget);

    private static LogLine Line(long n) => new(n, 0, LogSource.Stdout, $"line {n}", DateTimeOffset.UnixEpoch.AddSeconds(n));

    [Fact]
    public async Task Ship_DeliversEveryLineOnce_InOrder_InSequencedBatches()
    {
        await using (var shipper = Shipper())
        {
            for (var n = 1; n <= 5_000; n++)
            {
                shipper.Add(Line(n));
            }
            Assert.True(await shipper.FlushAsync(Deadline));
        }

        Assert.Equal(Enumerable.Range(1, 5_000).Select(n => (long)n), _server.StoredLines.Select(l => l.N));
        var batches = _server.Stored.Values.OrderBy(b => b.Seq).ToList();
        Assert.Equal(Enumerable.Range(1, batches.Count).Select(n => (long)n), batches.Select(b => b.Seq));
        Assert.All(batches, b => Assert.InRange(b.Lines.Count, 1, LogShipper.MaxBatchLines));
        Assert.Empty(Directory.EnumerateFiles(_spoolDirectory));
    }

    [Fact]
    public async Task Ship_SendsLinesWhileOutputFlows_WithoutWaitingForTheEnd()
    {
        await using var shipper = Shipper();

        shipper.Add(Line(1));

        await Eventually.ReturnsAsync(() => Task.FromResult(_server.StoredLines.Any() ? "sent" : null), Deadline, "the first line to be shipped");
    }

    [Fact]
    public async Task Ship_KeepsBatchesOnDisk_AndRetries_UntilTheServerAccepts()
    {
        _server.FailNext = 3;
        await using (var shipper = Shipper())
        {
            for (var n = 1; n <= 10; n++)
            {
                shipper.Add(Line(n));
            }
            Assert.True(await shipper.FlushAsync(Deadline));
        }

        Assert.Equal(Enumerable.Range(1, 10).Select(n => (long)n), _server.StoredLines.Select(l => l.N));
        Assert.True(_server.Attempts > _server.Stored.Count, "failed sends were retried");
    }

    [Fact]
    public async Task Ship_ResendsBatchesSpooledByAnEarlierProcess_First()
    {
        var spool = new LogSpool(_spoolDirectory);
        await spool.SaveAsync(new LogBatch(1, 1, [new LogBatchLine(1, DateTimeOffset.UnixEpoch, 0, LogSourceName.Stdout, "from before")]), CancellationToken.None);

        await using (var shipper = Shipper())
        {
            shipper.Add(Line(2));
            Assert.True(await shipper.FlushAsync(Deadline));
        }

        Assert.Equal(["from before", "line 2"], _server.StoredLines.Select(l => l.Text));
        Assert.Equal([1L, 2L], _server.Stored.Keys.Order());
    }

    [Fact]
    public async Task Ship_StopsAndSignalsLeaseLost_OnAStaleEpoch()
    {
        _server.CurrentEpoch = 2;
        await using var shipper = Shipper(epoch: 1);

        shipper.Add(Line(1));

        await Eventually.ReturnsAsync(() => Task.FromResult(shipper.LeaseLost.IsCancellationRequested ? "lost" : null), Deadline, "the lease-lost signal");
        Assert.Empty(_server.StoredLines);
    }

    [Fact]
    public async Task Ship_GivesUpAndSaysWhy_WhenTheServerRefusesABatchForTheWholeBudget()
    {
        _server.RefuseNext = int.MaxValue;
        await using var shipper = Shipper(refusalBudget: TimeSpan.FromMilliseconds(300));

        shipper.Add(Line(1));

        await Eventually.ReturnsAsync(() => Task.FromResult(shipper.Refused.IsCancellationRequested ? "refused" : null), Deadline, "the refused signal");
        Assert.Contains("log batch 1", shipper.RefusedReason, StringComparison.Ordinal);
        Assert.False(shipper.LeaseLost.IsCancellationRequested);
        Assert.True(_server.Attempts > 1, "a refused batch is tried again until the budget is spent");
    }

    [Fact]
    public async Task Ship_StopsAtOnce_AndSaysWhy_WhenTheServerSaysABatchIsTooLarge()
    {
        _server.TooLarge = true;
        await using var shipper = Shipper(refusalBudget: TimeSpan.FromMinutes(5));

        shipper.Add(Line(1));

        await Eventually.ReturnsAsync(() => Task.FromResult(shipper.Refused.IsCancellationRequested ? "refused" : null), Deadline, "the refused signal");
        Assert.Contains("log batch 1", shipper.RefusedReason, StringComparison.Ordinal);
        Assert.Contains("Runs:MaxLogBatchBytes", shipper.RefusedReason, StringComparison.Ordinal);
        Assert.Equal(1, _server.Attempts);
        Assert.False(shipper.LeaseLost.IsCancellationRequested);
    }

    [Fact]
    public async Task Ship_DeliversABatchRefusedForLessThanTheBudget()
    {
        _server.RefuseNext = 2;
        await using (var shipper = Shipper(refusalBudget: TimeSpan.FromMinutes(5)))
        {
            shipper.Add(Line(1));
            Assert.True(await shipper.FlushAsync(Deadline));
            Assert.False(shipper.Refused.IsCancellationRequested);
        }

        Assert.Equal([1L], _server.StoredLines.Select(l => l.N));
    }

    [Theory]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.GatewayTimeout)]
    public async Task Ship_DeliversLinesPostedWhileAProxyAnswersForADeadReplica_Afterwards_WithNoGapAndNoDuplicate(HttpStatusCode status)
    {
        using var proxy = new FakeProxy { DownWith = status };
        using var http = new HttpClient(proxy) { Timeout = Timeout.InfiniteTimeSpan };
        var client = new AgentClient(http, new Uri("http://proxy.invalid/"), "agent-token");
        await using (var shipper = new LogShipper(42, 1, client, new LogSpool(_spoolDirectory), TimeProvider.System))
        {
            for (var n = 1; n <= 50; n++)
            {
                shipper.Add(Line(n));
            }
            // The replica stays dead across retries, and output goes on meanwhile.
            await Eventually.TrueAsync(() => Task.FromResult(proxy.Attempts.Count >= 2), Deadline, "a log batch to be refused twice");
            for (var n = 51; n <= 100; n++)
            {
                shipper.Add(Line(n));
            }
            await Eventually.TrueAsync(() => Task.FromResult(proxy.Attempts.Count >= 3), Deadline, "a third refused attempt");
            // A replica is back; the first batch it stores loses its answer (the proxy says 502), so the agent must resend it.
            proxy.StoreThenFailNext = 1;
            proxy.DownWith = null;
            Assert.True(await shipper.FlushAsync(Deadline));
        }

        Assert.Equal(Enumerable.Range(1, 100).Select(n => (long)n), proxy.StoredLines.Select(l => l.N));
        Assert.Equal(Enumerable.Range(1, proxy.StoredSeqs.Count).Select(n => (long)n), proxy.StoredSeqs);
        // A resend is the same batch: the same sequence with the same lines, never the lines again under a new sequence.
        Assert.All(proxy.Attempts.GroupBy(b => b.Seq), attempts =>
            Assert.Single(attempts.Select(b => string.Join(',', b.Lines.Select(l => l.N))).Distinct()));
        Assert.True(proxy.Attempts.Count(b => b.Seq == 1) >= 3, "batch 1 was sent while the replica was dead, and again after");
        Assert.Empty(Directory.EnumerateFiles(_spoolDirectory));
    }

    public void Dispose()
    {
        if (Directory.Exists(_spoolDirectory))
        {
            Directory.Delete(_spoolDirectory, recursive: true);
        }
    }

    /// <summary>Stores batches once per sequence, like the server; can fail or refuse on demand.</summary>
    private sealed class FakeServer : ILogTransport
    {
        private int _failNext;
        private int _refuseNext;
        private int _attempts;

        public ConcurrentDictionary<long, LogBatch> Stored { get; } = new();
        public long CurrentEpoch { get; set; } = 1;
        public int Attempts => _attempts;
        public int FailNext { set => _failNext = value; }
        /// <summary>Answers this many sends as a server that will not store the batch (500).</summary>
        public int RefuseNext { set => _refuseNext = value; }
        /// <summary>Answers every send as a server whose batch limit is smaller than the batch (413).</summary>
        public bool TooLarge { get; set; }

        public IEnumerable<LogBatchLine> StoredLines => Stored.Values.SelectMany(b => b.Lines).OrderBy(l => l.N);

        public Task<LogDelivery> SendAsync(long runId, SpooledBatch spooled, CancellationToken cancellationToken)
        {
            var batch = System.Text.Json.JsonSerializer.Deserialize<LogBatch>(spooled.Json.Span, Baton.Contracts.Json.BatonJson.Options)!;
            Interlocked.Increment(ref _attempts);
            if (batch.Epoch != CurrentEpoch)
            {
                return Task.FromResult(LogDelivery.StaleEpoch);
            }
            if (Interlocked.Decrement(ref _failNext) >= 0)
            {
                return Task.FromResult(LogDelivery.Failed);
            }
            if (TooLarge)
            {
                return Task.FromResult(LogDelivery.TooLarge);
            }
            if (Volatile.Read(ref _refuseNext) > 0)
            {
                Interlocked.Decrement(ref _refuseNext);
                return Task.FromResult(LogDelivery.Refused);
            }
            Stored.TryAdd(batch.Seq, batch);
            return Task.FromResult(LogDelivery.Accepted);
        }
    }
}
