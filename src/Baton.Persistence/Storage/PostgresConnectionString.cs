using System.Data.Common;
using Npgsql;

namespace Baton.Persistence.Storage;

/// <summary>
/// The connection string Baton opens PostgreSQL with: the operator's, with the pool's reset turned off
/// unless they chose otherwise.
/// </summary>
/// <remarks>
/// By default Npgsql sends <c>DISCARD ALL</c> each time a pooled connection is reused, and PostgreSQL counts
/// every one as a transaction of its own: measured, about 20 of a trivial run's 39 commits (docs/BENCHMARKS.md).
/// Baton leaves no session state behind on a pooled connection (its advisory locks are transaction-scoped;
/// the signal listener has a connection outside the pool), so there is nothing to discard. An explicit
/// <c>No Reset On Close=false</c> in the configured string is kept.
/// </remarks>
public static class PostgresConnectionString
{
    public static string For(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!Names(connectionString).Contains("noresetonclose"))
        {
            builder.NoResetOnClose = true;
        }
        return builder.ConnectionString;
    }

    /// <summary>A connection of its own, outside the pool, for a session that keeps state (LISTEN).</summary>
    public static string Unpooled(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;

    private static HashSet<string> Names(string connectionString)
    {
        var parsed = new DbConnectionStringBuilder { ConnectionString = connectionString };
        return parsed.Keys.Cast<string>().Select(k => k.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
    }
}
