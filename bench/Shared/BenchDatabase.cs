using Npgsql;

namespace Baton.Bench.Shared;

/// <summary>Transaction counters of one database, as pg_stat_database reports them.</summary>
internal readonly record struct TransactionCounts(long Commits, long Rollbacks)
{
    public long Total => Commits + Rollbacks;
}

/// <summary>
/// A throwaway database on the given server. Statistics are read over a connection to the
/// server's original database, so reading them adds nothing to the bench database's counters.
/// </summary>
internal sealed class BenchDatabase : IAsyncDisposable
{
    /// <summary>
    /// PostgreSQL 15 backends flush their statistics when they go idle, but no more than once a
    /// second, and a deferred flush waits for the 10 s idle-stats timeout; wait that out.
    /// </summary>
    public static readonly TimeSpan StatsSettle = TimeSpan.FromSeconds(11);

    private readonly NpgsqlDataSource _admin;

    private BenchDatabase(NpgsqlDataSource admin, string name, string connectionString)
    {
        _admin = admin;
        Name = name;
        ConnectionString = connectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public static async Task<BenchDatabase> CreateAsync(string adminConnectionString)
    {
        var name = $"hangfire_bench_{Guid.NewGuid():N}"[..28];
        var admin = NpgsqlDataSource.Create(adminConnectionString);
        await using (var create = admin.CreateCommand($"CREATE DATABASE \"{name}\""))
        {
            await create.ExecuteNonQueryAsync();
        }
        var connectionString = new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = name }.ConnectionString;
        return new BenchDatabase(admin, name, connectionString);
    }

    public async Task<TransactionCounts> ReadTransactionsAsync()
    {
        await using var read = _admin.CreateCommand(
            "SELECT xact_commit, xact_rollback FROM pg_stat_database WHERE datname = $1");
        read.Parameters.Add(new NpgsqlParameter { Value = Name });
        await using var reader = await read.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new TransactionCounts(reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>
    /// Statements this database has run so far, from pg_stat_statements (counted across all the
    /// server's backends); null when the server was not started with the extension preloaded.
    /// </summary>
    public async Task<long?> ReadStatementsAsync()
    {
        if (!await StatementsTrackedAsync())
        {
            return null;
        }
        await using var read = _admin.CreateCommand(
            "SELECT coalesce(sum(calls), 0)::bigint FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = $1");
        read.Parameters.Add(new NpgsqlParameter { Value = Name });
        return (long)(await read.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// Pauses autovacuum on the whole server until disposed, so an idle reading counts what the application does, not
    /// PostgreSQL's own housekeeping: the autovacuum launcher sends a worker into every database once a naptime (60 s)
    /// even when there is nothing to vacuum, and that worker's transactions count in pg_stat_database as the database's
    /// (measured by hand on 2026-12-03: an idle Baton database with one agent, 37 transactions in 150 s with autovacuum on
    /// against 10 in 100 s with it off, Baton's own statements the same). Null when this connection may not change server
    /// settings (not a superuser): the reading then includes autovacuum.
    /// </summary>
    public async Task<IAsyncDisposable?> PauseAutovacuumAsync()
    {
        try
        {
            await SetAutovacuumAsync("ALTER SYSTEM SET autovacuum = off");
            return new AutovacuumPause(this);
        }
        catch (PostgresException error) when (error.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            return null;
        }
    }

    private async Task SetAutovacuumAsync(string sql)
    {
        await using (var alter = _admin.CreateCommand(sql))
        {
            await alter.ExecuteNonQueryAsync();
        }
        await using var reload = _admin.CreateCommand("SELECT pg_reload_conf()");
        await reload.ExecuteScalarAsync();
    }

    private sealed class AutovacuumPause(BenchDatabase database) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await database.SetAutovacuumAsync("ALTER SYSTEM RESET autovacuum");
    }

    /// <summary>The database's most frequent statements (calls, text), for finding what a run costs.</summary>
    public async Task<IReadOnlyList<(long Calls, string Query)>> TopStatementsAsync(int count) =>
        [.. (await StatementCallsAsync()).OrderByDescending(s => s.Value).Take(count).Select(s => (s.Value, s.Key))];

    /// <summary>Calls so far of each statement the database ran (empty without pg_stat_statements); diff two to see what ran between.</summary>
    public async Task<Dictionary<string, long>> StatementCallsAsync()
    {
        var calls = new Dictionary<string, long>(StringComparer.Ordinal);
        if (!await StatementsTrackedAsync())
        {
            return calls;
        }
        await using var read = _admin.CreateCommand(
            "SELECT s.query, sum(s.calls)::bigint FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = $1 GROUP BY s.query");
        read.Parameters.Add(new NpgsqlParameter { Value = Name });
        await using var reader = await read.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            calls[reader.GetString(0)] = reader.GetInt64(1);
        }
        return calls;
    }

    private async Task<bool> StatementsTrackedAsync()
    {
        await using var loaded = _admin.CreateCommand("SELECT current_setting('shared_preload_libraries') LIKE '%pg_stat_statements%'");
        if (!(bool)(await loaded.ExecuteScalarAsync())!)
        {
            return false;
        }
        await using var create = _admin.CreateCommand("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
        await create.ExecuteNonQueryAsync();
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        // Pooled Hangfire connections would otherwise keep the database open.
        NpgsqlConnection.ClearAllPools();
        await using (var drop = _admin.CreateCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)"))
        {
            await drop.ExecuteNonQueryAsync();
        }
        await _admin.DisposeAsync();
    }
}
