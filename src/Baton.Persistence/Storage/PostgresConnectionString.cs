using System.Data.Common;
using Npgsql;

namespace Baton.Persistence.Storage;

/// <summary>
/// The connection string Baton opens PostgreSQL with: the operator's, with the pool's reset turned off and
/// statements prepared automatically, unless they chose otherwise.
/// </summary>
/// <remarks>
/// By default Npgsql sends <c>DISCARD ALL</c> each time a pooled connection is reused, and PostgreSQL counts
/// every one as a transaction of its own: measured, about 20 of a trivial run's 39 commits (docs/BENCHMARKS.md).
/// Baton leaves no session state behind on a pooled connection (its advisory locks are transaction-scoped;
/// the signal listener has a connection outside the pool), so there is nothing to discard. An explicit
/// <c>No Reset On Close=false</c> in the configured string is kept.
/// <para>
/// Npgsql prepares nothing by default, so PostgreSQL parses and plans every statement of every run again: in a
/// profile of the throughput bench, parsing and planning were the largest part of PostgreSQL's time. Baton runs
/// a few dozen distinct statements over and over, so each connection prepares those it has run twice (Npgsql
/// keeps at most <see cref="AutoPrepared"/> per connection, evicting the least used). A connection string that
/// names <c>Max Auto Prepare</c> (0 turns it off, as a pooler in transaction mode before PgBouncer 1.21 needs) is kept.
/// </para>
/// </remarks>
public static class PostgresConnectionString
{
    /// <summary>Statements each connection keeps prepared: more than Baton's hot paths use.</summary>
    public const int AutoPrepared = 128;

    public static string For(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var names = Names(connectionString);
        if (!names.Contains("noresetonclose"))
        {
            builder.NoResetOnClose = true;
        }
        if (!names.Contains("maxautoprepare"))
        {
            builder.MaxAutoPrepare = AutoPrepared;
            builder.AutoPrepareMinUsages = 2;
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
