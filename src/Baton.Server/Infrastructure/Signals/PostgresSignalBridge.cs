using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.Channels;
using Baton.Persistence.Storage;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Baton.Server.Infrastructure.Signals;

/// <summary>
/// Carries <see cref="RunSignals"/> pulses between replicas through PostgreSQL LISTEN/NOTIFY
/// (DESIGN.md section 8): one listening connection per replica, and a sender that coalesces
/// pulses raised close together into one round trip. Pulses are hints that make waiters look
/// at the database; a lost one delays a waiter until its own timeout, it never loses data.
/// </summary>
/// <remarks>
/// A replica that knows of no other sends nothing: each NOTIFY is a transaction of its own, and a lone
/// server paid about three per run for nobody (docs/BENCHMARKS.md). Replicas find each other on the
/// channel itself: a listener that (re)connects says <c>hello</c>, the others answer <c>here</c>, and a
/// replica stopping says <c>bye</c>. One that learns of a new peer wakes all its own waiters to look at
/// the database, which covers whatever that peer did before it knew to tell.
/// </remarks>
internal sealed partial class PostgresSignalBridge(RunSignals signals, IOptions<StorageOptions> storage, ILogger<PostgresSignalBridge> logger)
    : BackgroundService
{
    private const string Channel = "baton_signals";
    private static readonly TimeSpan Reconnect = TimeSpan.FromSeconds(2);
    // Tells this replica's own notifications apart, so its waiters are not woken twice.
    private readonly string _replica = Guid.NewGuid().ToString("N")[..12];
    private readonly Channel<string> _outgoing = System.Threading.Channels.Channel.CreateUnbounded<string>(new() { SingleReader = true });
    private readonly ConcurrentDictionary<string, byte> _peers = new(StringComparer.Ordinal);

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (!storage.Value.IsPostgres)
        {
            // SQLite means one server: signals stay in the process.
            return Task.CompletedTask;
        }
        signals.Forward = (topic, runId) =>
        {
            if (!_peers.IsEmpty)
            {
                _outgoing.Writer.TryWrite(Format(topic, runId));
            }
        };
        return base.StartAsync(cancellationToken);
    }

    /// <summary>Says goodbye (best effort) so the others stop telling this replica what happens.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        if (storage.Value.IsPostgres && !_peers.IsEmpty)
        {
            try
            {
                await NotifyAsync([Control(Bye)], cancellationToken);
            }
            catch (Exception exception) when (exception is NpgsqlException or OperationCanceledException or InvalidOperationException)
            {
                LogSendFailed(exception);
            }
        }
        await base.StopAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(ListenAsync(stoppingToken), SendAsync(stoppingToken));

    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(PostgresConnectionString.Unpooled(storage.Value.ConnectionString!));
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, notification) => Receive(notification.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }
                // Listening first: the others' answers must not arrive before this replica hears them.
                _outgoing.Writer.TryWrite(Control(Hello));
                // Whatever happened while we were not listening is unknown: wake everyone to look.
                signals.PulseEverything();
                while (true)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (NpgsqlException exception)
            {
                LogListenFailed(exception);
                await Task.Delay(Reconnect, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private async Task SendAsync(CancellationToken stoppingToken)
    {
        var pending = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            while (await _outgoing.Reader.WaitToReadAsync(stoppingToken))
            {
                while (_outgoing.Reader.TryRead(out var payload))
                {
                    pending.Add(payload);
                }
                try
                {
                    await NotifyAsync(pending, stoppingToken);
                }
                catch (NpgsqlException exception)
                {
                    LogSendFailed(exception);
                }
                pending.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    /// <summary>One round trip, one transaction, however many payloads.</summary>
    private async Task NotifyAsync(IEnumerable<string> payloads, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(PostgresConnectionString.For(storage.Value.ConnectionString!));
        await connection.OpenAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        foreach (var payload in payloads)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT pg_notify(@channel, @payload)")
            {
                Parameters = { new("channel", Channel), new("payload", payload) },
            });
        }
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    private const string Hello = "hello";
    private const string Here = "here";
    private const string Bye = "bye";

    private string Control(string word) => $"{_replica}|{word}";

    private string Format(SignalTopic topic, long runId) => string.Create(CultureInfo.InvariantCulture, $"{_replica}|{(int)topic}|{runId}");

    private void Receive(string payload)
    {
        var parts = payload.Split('|');
        if (parts[0] == _replica)
        {
            return;
        }
        if (parts.Length == 2)
        {
            ReceiveControl(parts[0], parts[1]);
            return;
        }
        Meet(parts[0]);
        if (parts.Length != 3
            || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out var topic)
            || !long.TryParse(parts[2], CultureInfo.InvariantCulture, out var runId)
            || !Enum.IsDefined((SignalTopic)topic))
        {
            return;
        }
        signals.PulseLocal((SignalTopic)topic, runId);
    }

    private void ReceiveControl(string replica, string word)
    {
        switch (word)
        {
            case Hello:
                Meet(replica);
                _outgoing.Writer.TryWrite(Control(Here));
                break;
            case Here:
                Meet(replica);
                break;
            case Bye:
                _peers.TryRemove(replica, out _);
                break;
        }
    }

    /// <summary>A replica heard of for the first time may have changed things before it knew to tell: everyone here looks again.</summary>
    private void Meet(string replica)
    {
        if (_peers.TryAdd(replica, 0))
        {
            LogPeer(replica, _peers.Count);
            signals.PulseEverything();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Replica {Replica} shares this database; {Peers} other replica(s) now hear this one's signals")]
    private partial void LogPeer(string replica, int peers);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listening for other replicas' signals failed; retrying")]
    private partial void LogListenFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sending a signal to other replicas failed; they will notice at their next timeout")]
    private partial void LogSendFailed(Exception exception);
}
