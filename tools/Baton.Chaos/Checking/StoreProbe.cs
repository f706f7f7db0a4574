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
