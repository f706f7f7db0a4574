using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Baton.Cli.Client;
using Baton.Server.Features.Logs;

namespace Baton.Cli.Follow;

/// <summary>
/// The server's two live run streams, read as messages. A dropped connection (a server restart, a proxy timeout) is
/// opened again a few times: the log stream resumes after the last line received, so nothing is shown twice or lost;
/// the step stream starts again with every step, which the view simply re-applies.
/// </summary>
internal static class RunStreams
{
    private const int Reconnects = 5;

    public static IAsyncEnumerable<LogStreamMessage> LogsAsync(BatonApi api, long runId, Func<long> lastLine, CancellationToken cancellationToken) =>
        ReadAsync<LogStreamMessage>(api, () => $"api/runs/{runId}/logs/stream?after={lastLine()}", m => m.Type == "end", cancellationToken);

    public static IAsyncEnumerable<StepStreamMessage> StepsAsync(BatonApi api, long runId, CancellationToken cancellationToken) =>
        ReadAsync<StepStreamMessage>(api, () => $"api/runs/{runId}/steps/stream", m => m.Type == "end", cancellationToken);

    private static async IAsyncEnumerable<T> ReadAsync<T>(BatonApi api, Func<string> path, Func<T, bool> isEnd,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var ended = false;
            Exception? failure = null;
            using (var socket = await ConnectAsync(api, path(), attempt, cancellationToken))
            {
                var reader = ReadMessagesAsync<T>(socket, cancellationToken).GetAsyncEnumerator(cancellationToken);
                try
                {
                    while (true)
                    {
                        T message;
                        try
                        {
                            if (!await reader.MoveNextAsync())
                            {
                                break;
                            }
                            message = reader.Current;
                        }
                        catch (WebSocketException exception)
                        {
                            failure = exception;
                            break;
                        }
                        attempt = 0;
                        yield return message;
                        if (isEnd(message))
                        {
                            ended = true;
                            break;
                        }
                    }
                }
                finally
                {
                    await reader.DisposeAsync();
                }
            }
            if (ended)
            {
                yield break;
            }
            if (attempt >= Reconnects)
            {
                throw new CliException(ExitCodes.ServerUnavailable,
                    $"the live stream of run {path()} kept closing{(failure is null ? "" : $" ({failure.Message})")}");
            }
        }
    }

    private static async Task<ClientWebSocket> ConnectAsync(BatonApi api, string path, int attempt, CancellationToken cancellationToken)
    {
        if (attempt > 0)
        {
            // Back off a little more each time: a restarting server needs a few seconds.
            await Task.Delay(TimeSpan.FromSeconds(Math.Min(attempt, 5)), cancellationToken);
        }
        return await api.ConnectAsync(path, cancellationToken);
    }

    /// <summary>Text messages as JSON documents, one per message however many frames it took; ends when the server closes.</summary>
    private static async IAsyncEnumerable<T> ReadMessagesAsync<T>(ClientWebSocket socket, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (socket.State == WebSocketState.Open)
        {
            var received = await socket.ReceiveAsync(buffer, cancellationToken);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                yield break;
            }
            message.Write(buffer, 0, received.Count);
            if (received.EndOfMessage)
            {
                var parsed = JsonSerializer.Deserialize<T>(message.GetBuffer().AsSpan(0, (int)message.Length), ClientJson.Options)!;
                message.SetLength(0);
                yield return parsed;
            }
        }
    }
}
