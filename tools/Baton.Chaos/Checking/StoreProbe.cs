using Npgsql;

namespace Baton.Chaos.Checking;

/// <summary>Questions the driver asks the database while the chaos goes on; while PostgreSQL is down the answer is "not yet".</summary>
public sealed class StoreProbe(string connectionString) : IAsyncDisposable
{
    private readonly NpgsqlDataSource _source = NpgsqlDataSource.Create(connectionString);

    /// <summary>Runs not final, plus plans still running; null when the database cannot be asked now.</summary>
    public async Task<long?> UnfinishedAsync(CancellationToken cancellationToken) => await CountAsync("""
        SELECT (SELECT count(*) FROM runs WHERE status NOT IN ('Succeeded', 'Failed', 'TimedOut', 'Cancelled', 'Skipped'))
             + (SELECT count(*) FROM plans WHERE status = 'Running')
        """, null, cancellationToken);

    /// <summary>Runs the database still holds as running on the agent of that name (under any id it registered with).</summary>
    public Task<long?> RunningOnAsync(string agent, CancellationToken cancellationToken) => CountAsync("""
        SELECT count(*) FROM runs WHERE status = 'Running' AND agent_id IN (SELECT id FROM agents WHERE name = $1)
        """, agent, cancellationToken);

    /// <summary>Names of the agents that hold a running run now (empty when the database cannot be asked).</summary>
    public async Task<IReadOnlySet<string>> BusyAgentsAsync(CancellationToken cancellationToken)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            await using var command = _source.CreateCommand(
                "SELECT DISTINCT a.name FROM runs r JOIN agents a ON a.id = r.agent_id WHERE r.status = 'Running'");
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                names.Add(reader.GetString(0));
            }
        }
        catch (NpgsqlException)
        {
            // Asked again at the next kill.
        }
        return names;
    }

    private async Task<long?> CountAsync(string sql, string? parameter, CancellationToken cancellationToken)
    {
        try
        {
            await using var command = _source.CreateCommand(sql);
            if (parameter is not null)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = parameter });
            }
            return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        }
        catch (NpgsqlException)
        {
            return null;
        }
    }

    public ValueTask DisposeAsync() => _source.DisposeAsync();
}
