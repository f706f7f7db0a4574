using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Baton.Persistence.Storage;

/// <summary>
/// Per-connection SQLite settings: WAL so readers never wait for the writer, NORMAL sync
/// (durable at checkpoints, safe against corruption in WAL mode), and a busy timeout so a
/// writer waits for the lock instead of failing at once. They belong to the native connection,
/// which the pool keeps across opens; EF Core opens and closes a pooled connection around every
/// statement outside a transaction, so they are applied once per native connection, not at
/// every open (where they were an extra statement in front of each one).
/// </summary>
internal sealed class SqlitePragmas : DbConnectionInterceptor
{
    public static SqlitePragmas Instance { get; } = new();

    private const string Pragmas = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;";
    private static readonly object Applied = new();
    private readonly ConditionalWeakTable<object, object> _configured = [];

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (IsNew(connection))
        {
            using var command = connection.CreateCommand();
            command.CommandText = Pragmas;
            command.ExecuteNonQuery();
        }
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        if (IsNew(connection))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = Pragmas;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>True the first time this native connection is seen (the native handle outlives the pooled wrapper's opens).</summary>
    private bool IsNew(DbConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (connection is not SqliteConnection { Handle: { } handle })
        {
            return true;
        }
        return _configured.TryAdd(handle, Applied);
    }
}
