using System.Net.WebSockets;
using System.Text.Json;

namespace Baton.Server.Tests.Infrastructure;

/// <summary>Reads the live log and step streams' JSON messages, each within a deadline that says what its absence means.</summary>
public sealed class StreamMessages(TimeSpan within, string lateMeans)
{
    /// <summary>The next message (null: the server closed); <see cref="TimeoutException"/> when none came within the deadline.</summary>
    public async Task<JsonElement?> ReceiveAsync(WebSocket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        using var deadline = new CancellationTokenSource(within);
        var buffer = new ArraySegment<byte>(new byte[1 << 20]);
        var length = 0;
        WebSocketReceiveResult received;
        try
        {
            do
            {
                received = await socket.ReceiveAsync(buffer[length..], deadline.Token);
                length += received.Count;
            }
            while (!received.EndOfMessage);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new TimeoutException($"no message within {within.TotalSeconds:0.#} s: {lateMeans}");
        }
        return received.MessageType == WebSocketMessageType.Close ? null : JsonDocument.Parse(buffer[..length]).RootElement.Clone();
    }

    /// <summary>Reads line messages until line <paramref name="last"/> was seen; returns every line number received.</summary>
    public async Task<List<long>> LinesUntilAsync(WebSocket socket, long last)
    {
        var numbers = new List<long>();
        while (numbers.Count == 0 || numbers[^1] < last)
        {
            var message = (await ReceiveAsync(socket))!.Value;
            Assert.Equal("lines", message.GetProperty("type").GetString());
            numbers.AddRange(message.GetProperty("lines").EnumerateArray().Select(l => l.GetProperty("n").GetInt64()));
        }
        return numbers;
    }
}
