using System.Text;
using Microsoft.EntityFrameworkCore;
using Baton.Persistence.Storage;

namespace Baton.Persistence.Logs;

/// <summary>Chunks whose text has every word, newest run first, then in line order, after a position (run, line).</summary>
public sealed record ChunkSearch(IReadOnlyList<string> Words, long? ProjectId, DateTimeOffset? Since, long BeforeOrAtRun, long AfterLine, int Take);

public sealed record MatchedChunk(long RunId, long FirstLine, long LastLine, string Lines);

/// <summary>
/// Full-text candidates for a log search, one statement per provider (DESIGN.md section 5): on
/// PostgreSQL the GIN index on each chunk's tsvector (migration LogSearch), on SQLite the FTS5
/// table that <see cref="IndexNewChunksAsync"/> fills. Both find chunks containing every word; the
/// caller picks the lines. Words are passed as parameters (PostgreSQL) or as quoted FTS5 strings:
/// never as syntax.
/// <para>
/// On PostgreSQL the best plan depends on the words: the GIN index for a rare word, the newest
/// chunks in key order, each tested, for a word in most of them. A prepared statement may settle on
/// one generic plan after five executions, and a plan that knows no word assumes a rare one: a word
/// in every chunk then costs a sort of all of them (300 ms instead of 20 at 100,000 chunks). So the
/// search is planned for its words every time (plan_cache_mode), in a transaction of its own.
/// </para>
/// </summary>
public static class LogChunkSearch
{
    /// <summary>The indexed expression of migration LogSearch (PostgreSQL), on the chunk alias c: the query must say it exactly.</summary>
    private const string PostgresVector =
        "to_tsvector('simple'::regconfig, regexp_replace(jsonb_path_query_array(c.lines::jsonb, '$[*].text')::text, '[^[:alnum:]]+', ' ', 'g'))";

    public static async Task<List<MatchedChunk>> SearchChunksAsync(this BatonDbContext db, ChunkSearch search, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(search);
        var sqlite = db.Database.IsSqlite();
        var sql = new StringBuilder(sqlite
            ? "SELECT c.run_id, c.first_line, c.last_line, c.lines FROM log_search s JOIN log_chunks c ON c.rowid = s.rowid JOIN runs r ON r.id = c.run_id WHERE log_search MATCH @words"
            : $"SELECT c.run_id, c.first_line, c.last_line, c.lines FROM log_chunks c JOIN runs r ON r.id = c.run_id WHERE {PostgresVector} @@ plainto_tsquery('simple', @words)");
        sql.Append(" AND (c.run_id < @run OR (c.run_id = @run AND c.last_line > @line))");
        if (search.ProjectId is not null)
        {
            sql.Append(" AND r.project_id = @project");
        }
        if (search.Since is not null)
        {
            // A run that ended before the moment has no line after it.
            sql.Append(" AND (r.finished_at IS NULL OR r.finished_at >= @since)");
        }
        sql.Append(" ORDER BY c.run_id DESC, c.first_line LIMIT @take");

        if (sqlite)
        {
            return await ReadChunksAsync(db, sql.ToString(), search, sqlite, cancellationToken);
        }
        // SET LOCAL lasts until the transaction ends; in a caller's transaction, that is the caller's.
        await using var own = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        await db.Database.ExecuteSqlRawAsync("SET LOCAL plan_cache_mode = force_custom_plan", cancellationToken);
        var chunks = await ReadChunksAsync(db, sql.ToString(), search, sqlite, cancellationToken);
        if (own is not null)
        {
            await own.CommitAsync(cancellationToken);
        }
        return chunks;
    }

    private static async Task<List<MatchedChunk>> ReadChunksAsync(BatonDbContext db, string sql, ChunkSearch search, bool sqlite,
        CancellationToken cancellationToken)
    {
        return await db.WithCommandAsync(sql, async command =>
        {
            command.AddParameter("words", sqlite
                ? string.Join(' ', search.Words.Select(w => $"\"{w.Replace("\"", "\"\"", StringComparison.Ordinal)}\""))
                : string.Join(' ', search.Words));
            command.AddParameter("run", search.BeforeOrAtRun);
            command.AddParameter("line", search.AfterLine);
            command.AddParameter("take", search.Take);
            if (search.ProjectId is { } project)
            {
                command.AddParameter("project", project);
            }
            if (search.Since is { } since)
            {
                // SQLite stores times as UTC ticks (see UtcTicksConverter).
                command.AddParameter("since", sqlite ? since.UtcTicks : since.ToUniversalTime());
            }
            var chunks = new List<MatchedChunk>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                chunks.Add(new MatchedChunk(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetString(3)));
            }
            return chunks;
        }, cancellationToken);
    }

    /// <summary>
    /// SQLite: indexes up to <paramref name="batch"/> chunks stored after <paramref name="afterRowId"/> (in rowid order) in the FTS5
    /// table; returns the last rowid indexed (the same when there was nothing new).
    /// </summary>
    public static async Task<long> IndexNewChunksAsync(this BatonDbContext db, long afterRowId, int batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var last = await db.WithCommandAsync("SELECT max(rowid) FROM (SELECT rowid FROM log_chunks WHERE rowid > @after ORDER BY rowid LIMIT @batch)",
            async command =>
            {
                command.AddParameter("after", afterRowId);
                command.AddParameter("batch", batch);
                return await command.ExecuteScalarAsync(cancellationToken) is long value ? value : afterRowId;
            }, cancellationToken);
        if (last == afterRowId)
        {
            return afterRowId;
        }
        await db.WithCommandAsync("""
            INSERT INTO log_search(rowid, text)
            SELECT c.rowid, (SELECT group_concat(json_extract(value, '$.text'), char(10)) FROM json_each(c.lines))
            FROM log_chunks c WHERE c.rowid > @after AND c.rowid <= @last
            """, async command =>
        {
            command.AddParameter("after", afterRowId);
            command.AddParameter("last", last);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);
        return last;
    }

    /// <summary>SQLite: the last chunk rowid the FTS5 table holds (0 when empty).</summary>
    public static Task<long> IndexedUpToAsync(this BatonDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.WithCommandAsync("SELECT coalesce(max(rowid), 0) FROM log_search",
            async command => await command.ExecuteScalarAsync(cancellationToken) is long value ? value : 0L, cancellationToken);
    }
}
