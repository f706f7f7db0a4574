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
internal sealed partial class PostgresSignalBridge(RunSignals signals, IOptions<StorageOptions> storage, ILogger<PostgresSignalBridge> logger)
    : BackgroundService
{
    private const string Channel = "baton_signals";
    private static readonly TimeSpan Reconnect = TimeSpan.FromSeconds(2);
    // Tells this replica's own notifications apart, so its waiters are not woken twice.
    private readonly string _replica = Guid.NewGuid().ToString("N")[..12];
    private readonly Channel<string> _outgoing = System.Threading.Channels.Channel.CreateUnbounded<string>(new() { SingleReader = true });

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (!storage.Value.IsPostgres)
        {
            // SQLite means one server: signals stay in the process.
            return Task.CompletedTask;
        }
        signals.Forward = (topic, runId) => _outgoing.Writer.TryWrite(Format(topic, runId));
        return base.StartAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(ListenAsync(stoppingToken), SendAsync(stoppingToken));

    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(storage.Value.ConnectionString);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, notification) => Receive(notification.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }
                // Whatever happened while we were not listening is unknown: wake everyone to look.
                signals.PulseLocal(SignalTopic.Claimable, 0);
                signals.PulseLocal(SignalTopic.LeaseGranted, 0);
                signals.PulseLocal(SignalTopic.TokenRevoked, 0);
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
                    await using var connection = new NpgsqlConnection(storage.Value.ConnectionString);
                    await connection.OpenAsync(stoppingToken);
                    await using var batch = new NpgsqlBatch(connection);
                    foreach (var payload in pending)
                    {
                        batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT pg_notify(@channel, @payload)")
                        {
                            Parameters = { new("channel", Channel), new("payload", payload) },
                        });
                    }
                    await batch.ExecuteNonQueryAsync(stoppingToken);
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

    private string Format(SignalTopic topic, long runId) => string.Create(CultureInfo.InvariantCulture, $"{_replica}|{(int)topic}|{runId}");

    private void Receive(string payload)
    {
        var parts = payload.Split('|');
        if (parts.Length != 3 || parts[0] == _replica
            || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out var topic)
            || !long.TryParse(parts[2], CultureInfo.InvariantCulture, out var runId)
            || !Enum.IsDefined((SignalTopic)topic))
        {
            return;
        }
        signals.PulseLocal((SignalTopic)topic, runId);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listening for other replicas' signals failed; retrying")]
    private partial void LogListenFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sending a signal to other replicas failed; they will notice at their next timeout")]
    private partial void LogSendFailed(Exception exception);
}
