using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using Baton.Contracts.Agents;
using Baton.Contracts.Json;
using Baton.Contracts.Runs;
using Baton.Core.Access;
using Baton.Server.Tests.Infrastructure;

namespace Baton.Server.Tests.Features.Logs;

public sealed class SqliteRunStreamsTests(SqliteApplication app) : RunStreamsTests<SqliteApplication>(app);

public sealed class PostgresRunStreamsTests(PostgresApplication app) : RunStreamsTests<PostgresApplication>(app);

/// <summary>The live log and step streams: backfill, then live, then the end; no gap and no duplicate.</summary>
public abstract class RunStreamsTests<TApp>(TApp app) : ApiTestBase<TApp>(app) where TApp : BatonApplication
{
    private static readonly StreamMessages Messages = new(TimeSpan.FromSeconds(30), "the stream sent nothing");

    private async Task<WebSocket> ConnectAsync(string path)
    {
        var client = App.Server.CreateWebSocketClient();
        client.ConfigureRequest = request => request.Headers.Authorization = $"Bearer {BatonApplication.AdminToken}";
        return await client.ConnectAsync(new Uri($"ws://localhost{path}"), CancellationToken.None);
    }

    [Fact]
    public async Task ALateViewer_GetsTheBackfill_ThenLiveLines_ThenTheEnd_WithoutGapOrDuplicate()
    {
        var (runId, claimed, agent) = await RunningAsync("streamer");
        await agent.SendLogsAsync(runId, claimed.Epoch, 1, 1, 5);

        using var socket = await ConnectAsync($"/api/runs/{runId}/logs/stream?after=2");
        var backfill = await Messages.LinesUntilAsync(socket, 5);
        await agent.SendLogsAsync(runId, claimed.Epoch, 2, 6, 3);
        var live = await Messages.LinesUntilAsync(socket, 8);
        await agent.SendLogsAsync(runId, claimed.Epoch, 3, 9, 1);
        await agent.CompleteAsync(runId, claimed.Epoch);
        var rest = new List<long>();
        JsonElement end;
        while ((end = (await Messages.ReceiveAsync(socket))!.Value).GetProperty("type").GetString() == "lines")
        {
            rest.AddRange(end.GetProperty("lines").EnumerateArray().Select(l => l.GetProperty("n").GetInt64()));
        }

        Assert.Equal([3L, 4L, 5L, 6L, 7L, 8L, 9L], backfill.Concat(live).Concat(rest));
        Assert.Equal(("end", "succeeded", 9L),
            (end.GetProperty("type").GetString(), end.GetProperty("status").GetString(), end.GetProperty("lastLine").GetInt64()));
        Assert.Null(await Messages.ReceiveAsync(socket));

        // A viewer reconnecting after the end with its last line gets the rest, then the end.
        using var again = await ConnectAsync($"/api/runs/{runId}/logs/stream?after=7");
        Assert.Equal([8L, 9L], await Messages.LinesUntilAsync(again, 9));
        Assert.Equal("end", (await Messages.ReceiveAsync(again))!.Value.GetProperty("type").GetString());
    }

    [Fact]
    public async Task TheStepStream_SendsEveryStep_ThenChanges_ThenTheEnd()
    {
        var (runId, claimed, agent) = await RunningAsync("streamer");
        using var socket = await ConnectAsync($"/api/runs/{runId}/steps/stream");

        var first = (await Messages.ReceiveAsync(socket))!.Value;
        var now = TimeProvider.System.GetUtcNow();
        await agent.PutAsJsonAsync($"/api/runs/{runId}/steps/0", new StepUpdate(claimed.Epoch, StepStatus.Running, 1, null, now, null), BatonJson.Options);
        var change = (await Messages.ReceiveAsync(socket))!.Value;
        await agent.CompleteAsync(runId, claimed.Epoch, RunResult.Failed, 1);
        var end = (await Messages.ReceiveAsync(socket))!.Value;

        Assert.Equal(("steps", "running", 2), (first.GetProperty("type").GetString(), first.GetProperty("status").GetString(), first.GetProperty("steps").GetArrayLength()));
        var changed = Assert.Single(change.GetProperty("steps").EnumerateArray());
        Assert.Equal((0, "running"), (changed.GetProperty("index").GetInt32(), changed.GetProperty("status").GetString()));
        Assert.Equal(("end", "failed"), (end.GetProperty("type").GetString(), end.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task AStreamWithoutAWebSocket_OrForAMissingRun_IsAClearError()
    {
        await ProblemAsync(await Admin.GetAsync("/api/runs/1/logs/stream"), System.Net.HttpStatusCode.BadRequest);
        var client = App.Server.CreateWebSocketClient();
        client.ConfigureRequest = request => request.Headers.Authorization = $"Bearer {BatonApplication.AdminToken}";
        await Assert.ThrowsAnyAsync<Exception>(() => client.ConnectAsync(new Uri("ws://localhost/api/runs/987654/logs/stream"), CancellationToken.None));
    }
}
