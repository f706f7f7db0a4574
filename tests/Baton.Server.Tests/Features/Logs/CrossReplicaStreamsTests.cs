using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using Baton.Contracts.Agents;
using Baton.Contracts.Json;
using Baton.Contracts.Runs;
using Baton.Server.Features.Logs;
using Baton.Server.Tests.Infrastructure;
using Baton.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Baton.Server.Tests.Features.Logs;

/// <summary>
/// What crosses replicas through PostgreSQL LISTEN/NOTIFY: a viewer on replica A sees, live, what an agent posts to replica B,
/// and a claim waiting on A is woken by a run queued through B. "Live" means sooner than the stream's keep-alive (or the
/// claim's wait) would have looked again: each wait below is shorter than that, so only B's notice can end it in time.
/// </summary>
public sealed class CrossReplicaStreamsTests : TwoReplicasTestBase
{
    /// <summary>How long a message may take: well under the keep-alive, after which a stream looks at storage anyway.</summary>
    private static readonly TimeSpan Live = RunStreamSocket.KeepAlive / 2;
    private static readonly StreamMessages Messages = new(Live, "the change made on replica B did not reach replica A live");

    /// <summary>A run claimed by an agent that talks to replica B.</summary>
    private async Task<(long RunId, ClaimedRun Claimed, HttpClient Agent)> RunningOnBAsync()
    {
        var label = "x" + Guid.NewGuid().ToString("N")[..10];
        var admin = B.Client();
        (await admin.PostAsJsonAsync("/api/projects", new { key = label, name = label })).EnsureSuccessStatusCode();
        var item = await admin.RunnableAsync(label, new { title = "item", labels = new[] { label } });
        var runId = await admin.StartRunAsync(label, item);
        var agent = await B.AgentClientAsync();
        var claimed = (await agent.ClaimAsync(await agent.RegisterAsync("far-" + label, [label])))!;
        Assert.Equal(runId, claimed.RunId);
        return (runId, claimed, agent);
    }

    private static async Task<WebSocket> ConnectAsync(ReplicaApplication replica, string path)
    {
        var client = replica.Server.CreateWebSocketClient();
        client.ConfigureRequest = request => request.Headers.Authorization = $"Bearer {BatonApplication.AdminToken}";
        return await client.ConnectAsync(new Uri($"ws://localhost{path}"), CancellationToken.None);
    }

    [Fact]
    public async Task AViewerOnReplicaA_GetsLinesPostedToReplicaB_Live_InOrder_WithoutGapOrDuplicate_ThenTheEnd()
    {
        await ReplicasKnowEachOtherAsync();
        var (runId, claimed, agent) = await RunningOnBAsync();
        (await agent.SendLogsAsync(runId, claimed.Epoch, 1, 1, 3)).EnsureSuccessStatusCode();

        using var socket = await ConnectAsync(A, $"/api/runs/{runId}/logs/stream");
        var received = await Messages.LinesUntilAsync(socket, 3);
        // Each batch goes to B only once A delivered the one before: A's stream is waiting again, and only B's notice wakes it in time.
        var next = 4L;
        for (var seq = 2; seq <= 6; seq++)
        {
            (await agent.SendLogsAsync(runId, claimed.Epoch, seq, next, count: seq)).EnsureSuccessStatusCode();
            next += seq;
            received.AddRange(await Messages.LinesUntilAsync(socket, next - 1));
        }
        (await agent.CompleteAsync(runId, claimed.Epoch)).EnsureSuccessStatusCode();
        JsonElement end;
        while ((end = (await Messages.ReceiveAsync(socket))!.Value).GetProperty("type").GetString() == "lines")
        {
            received.AddRange(end.GetProperty("lines").EnumerateArray().Select(l => l.GetProperty("n").GetInt64()));
        }

        Assert.Equal(Enumerable.Range(1, (int)next - 1).Select(n => (long)n), received);
        Assert.Equal(("end", "succeeded", next - 1),
            (end.GetProperty("type").GetString(), end.GetProperty("status").GetString(), end.GetProperty("lastLine").GetInt64()));
        Assert.Null(await Messages.ReceiveAsync(socket));
    }

    [Fact]
    public async Task AViewerOnReplicaA_GetsStepChangesMadeOnReplicaB_Live_ThenTheEnd()
    {
        await ReplicasKnowEachOtherAsync();
        var (runId, claimed, agent) = await RunningOnBAsync();
        using var socket = await ConnectAsync(A, $"/api/runs/{runId}/steps/stream");
        var first = (await Messages.ReceiveAsync(socket))!.Value;

        // One change at a time, each made on B after A delivered the one before.
        async Task<JsonElement> ChangeAsync(int index, StepStatus status, int? exitCode)
        {
            var now = TimeProvider.System.GetUtcNow();
            var update = new StepUpdate(claimed.Epoch, status, 1, exitCode, now, status == StepStatus.Running ? null : now);
            (await agent.PutAsJsonAsync($"/api/runs/{runId}/steps/{index}", update, BatonJson.Options)).EnsureSuccessStatusCode();
            var message = (await Messages.ReceiveAsync(socket))!.Value;
            Assert.Equal(("steps", "running"), (message.GetProperty("type").GetString(), message.GetProperty("status").GetString()));
            return Assert.Single(message.GetProperty("steps").EnumerateArray());
        }
        var changes = new List<(int, string?)>();
        foreach (var (index, status, exitCode) in new[] { (0, StepStatus.Running, (int?)null), (0, StepStatus.Succeeded, 0), (1, StepStatus.Running, null) })
        {
            var step = await ChangeAsync(index, status, exitCode);
            changes.Add((step.GetProperty("index").GetInt32(), step.GetProperty("status").GetString()));
        }
        (await agent.CompleteAsync(runId, claimed.Epoch, RunResult.Failed, 1)).EnsureSuccessStatusCode();
        var end = (await Messages.ReceiveAsync(socket))!.Value;

        Assert.Equal(("steps", "running"), (first.GetProperty("type").GetString(), first.GetProperty("status").GetString()));
        Assert.Equal(["pending", "pending"], first.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("status").GetString()));
        Assert.Equal([(0, "running"), (0, "succeeded"), (1, "running")], changes);
        Assert.Equal(("end", "failed"), (end.GetProperty("type").GetString(), end.GetProperty("status").GetString()));
        Assert.Null(await Messages.ReceiveAsync(socket));
    }

    [Fact]
    public async Task AClaimWaitingOnReplicaA_IsWokenByARunQueuedThroughReplicaB()
    {
        await ReplicasKnowEachOtherAsync();
        var label = "w" + Guid.NewGuid().ToString("N")[..10];
        var admin = B.Client();
        (await admin.PostAsJsonAsync("/api/projects", new { key = label, name = label })).EnsureSuccessStatusCode();
        var item = await admin.RunnableAsync(label, new { title = "item", labels = new[] { label } });
        var agent = await A.AgentClientAsync();
        var agentId = await agent.RegisterAsync("waiter-" + label, [label]);
        var database = new NpgsqlConnectionStringBuilder(await A.DbAsync(db => Task.FromResult(db.Database.GetConnectionString()!))).Database!;
        using var claims = new ClaimStatements(database);

        var waiting = agent.ClaimAsync(agentId, waitSeconds: 25);
        // Once its claim statement found the queue empty, the poll looks again only when woken (or answers 204 after 25 s).
        await Eventually.TrueAsync(() => Task.FromResult(claims.Finished > 0 || waiting.IsCompleted), TimeSpan.FromSeconds(30),
            "the claim on replica A to look at the queue");
        Assert.False(waiting.IsCompleted, "the claim found nothing and waits");
        var runId = await admin.StartRunAsync(label, item);
        ClaimedRun? claimed;
        try
        {
            claimed = await waiting.WaitAsync(TimeSpan.FromSeconds(20));
        }
        catch (TimeoutException)
        {
            throw new TimeoutException("the claim waiting on replica A was not woken by the run queued through replica B");
        }

        Assert.Equal(runId, claimed?.RunId);
        Assert.True(claims.Finished >= 2, "the claim looked again after the wake-up");
    }

    /// <summary>Counts the claim statements run on one database, as PostgreSQL's client library reports them.</summary>
    private sealed class ClaimStatements : IDisposable
    {
        private readonly ActivityListener _listener;
        private int _finished;

        public ClaimStatements(string database)
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name == "Npgsql",
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = activity =>
                {
                    var text = activity.Tags.FirstOrDefault(tag => tag.Key is "db.query.text" or "db.statement").Value ?? "";
                    if (activity.Tags.Any(tag => tag.Value == database) && text.StartsWith("UPDATE runs SET status = 'Running'", StringComparison.Ordinal))
                    {
                        Interlocked.Increment(ref _finished);
                    }
                },
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public int Finished => Volatile.Read(ref _finished);

        public void Dispose() => _listener.Dispose();
    }
}
