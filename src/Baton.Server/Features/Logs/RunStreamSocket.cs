using System.Net.WebSockets;
using System.Text.Json;
using Baton.Contracts.Json;
using Baton.Server.Infrastructure.Signals;

namespace Baton.Server.Features.Logs;

/// <summary>
/// The WebSocket side of a live run stream: JSON text messages out, and a wait that ends when
/// the run changes, the client goes away, or a keep-alive interval passes (a safety net: a
/// missed cross-replica signal delays a message, it never loses one, because every wake-up
/// re-reads from storage after the last item sent).
/// </summary>
internal sealed class RunStreamSocket(WebSocket socket, RunSignals signals, long runId, CancellationToken aborted) : IDisposable
{
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);
    private readonly CancellationTokenSource _closed = CancellationTokenSource.CreateLinkedTokenSource(aborted);
    private Task? _receiving;

    public CancellationToken Closed => _closed.Token;

    /// <summary>Takes the change signal first, so a change between it and the caller's read is not missed.</summary>
    public Task NextChange() => signals.RunChanged(runId);

    public async Task SendAsync<T>(T message)
    {
        _receiving ??= DrainAsync();
        var bytes = JsonSerializer.SerializeToUtf8Bytes(message, BatonJson.Options);
        await socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, Closed);
    }

    public async Task WaitAsync(Task change)
    {
        _receiving ??= DrainAsync();
        await SignalWait.ForAsync(Task.WhenAny(change, _receiving), KeepAlive, TimeProvider.System, Closed);
    }

    public async Task CloseAsync()
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
