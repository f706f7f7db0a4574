using System.Net.WebSockets;
using System.Text.Json;
using Baton.Contracts.Json;
using Baton.Persistence;
using Baton.Server.Features.Runs;
using Baton.Server.Infrastructure.Origins;
using Baton.Server.Infrastructure.Signals;
using Microsoft.EntityFrameworkCore;

namespace Baton.Server.Features.Logs;

/// <summary>
/// The WebSocket side of a live run stream: JSON text messages out, and a wait that ends when
/// the run changes, the client goes away, or a keep-alive interval passes (a safety net: a
/// missed cross-replica signal delays a message, it never loses one, because every wake-up
/// re-reads from storage after the last item sent).
/// </summary>
internal sealed class RunStreamSocket(WebSocket socket, RunSignals signals, long runId, CancellationToken aborted) : IDisposable
{
    /// <summary>The longest a stream waits without looking at storage: how late a missed signal can make a message.</summary>
    internal static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);
    private readonly CancellationTokenSource _closed = CancellationTokenSource.CreateLinkedTokenSource(aborted);
    private Task? _receiving;

    public CancellationToken Closed => _closed.Token;

    /// <summary>
    /// Serves one live stream of run <paramref name="runId"/>: refuses a request that is not a WebSocket (400), comes
    /// from a web page of another origin (403) or names no run (404), then calls <paramref name="pass"/> at the start and after every change of the run, until it answers
    /// that the stream is over (it sent its end message) or the viewer leaves.
    /// </summary>
    public static async Task<IResult> ServeAsync(HttpContext context, long runId, BatonDbContext db, RunSignals signals,
        Func<RunStreamSocket, Task<bool>> pass)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(pass);
        if (!context.WebSockets.IsWebSocketRequest)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "WebSocket required",
                detail: "connect with a WebSocket client (Upgrade: websocket)");
        }
        if (!OriginSetup.MayOpenWebSocket(context))
        {
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Origin not allowed",
                detail: $"a page from {context.Request.Headers.Origin} may not open this stream; list it in BATON_{OriginOptions.Section}__Allowed");
        }
        if (!await db.Runs.AnyAsync(r => r.Id == runId, context.RequestAborted))
        {
            return RunCommands.NotFound(runId).ToResult();
        }
        using var socket = new RunStreamSocket(await context.WebSockets.AcceptWebSocketAsync(), signals, runId, context.RequestAborted);
        try
        {
            while (!socket.Closed.IsCancellationRequested)
            {
                var change = socket.NextChange();
                if (await pass(socket))
                {
                    await socket.CloseAsync();
                    break;
                }
                await socket.WaitAsync(change);
            }
        }
        catch (OperationCanceledException) when (socket.Closed.IsCancellationRequested)
        {
            // The viewer left.
        }
        return Results.Empty;
    }

    /// <summary>Takes the change signal first, so a change between it and the caller's read is not missed.</summary>
    private Task NextChange() => signals.RunChanged(runId);

    public async Task SendAsync<T>(T message)
    {
        _receiving ??= DrainAsync();
        var bytes = JsonSerializer.SerializeToUtf8Bytes(message, BatonJson.Options);
        await socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, Closed);
    }

    private async Task WaitAsync(Task change)
    {
        _receiving ??= DrainAsync();
        await SignalWait.ForAsync(Task.WhenAny(change, _receiving), KeepAlive, TimeProvider.System, Closed);
    }

    private async Task CloseAsync()
    {
        if (socket.State == WebSocketState.Open)
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "run ended", CancellationToken.None);
        }
    }

    public void Dispose() => _closed.Dispose();

    /// <summary>Reads (and ignores) what the client sends, to notice when it closes.</summary>
    private async Task DrainAsync()
    {
        var buffer = new byte[1024];
        try
        {
            while (!Closed.IsCancellationRequested)
            {
                var received = await socket.ReceiveAsync(buffer, Closed);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
        {
            // The client is gone.
        }
        await _closed.CancelAsync();
    }
}
