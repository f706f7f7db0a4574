using System.Data.Common;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Baton.Persistence.Storage;

namespace Baton.Persistence.Runs;

/// <summary>What a successful claim changed (the run now belongs to the agent under this epoch), and what the agent is handed.</summary>
public sealed record ClaimedRow(long RunId, long Epoch, int Attempt, long LogLines, int Number, string RecipeJson, string RecipeHash,
    string ProjectKey, int WorkItemNumber, DateTimeOffset CreatedAt, DateTimeOffset? QueuedAt, string? TraceId, bool ApprovalRequired,
    long ProjectId, bool HasSecrets, bool MoreQueued);

/// <summary>The agent that asks, the lease it would get, and the hash of the job token that goes with it.</summary>
public sealed record ClaimRequestRow(long AgentId, IReadOnlyList<string> Labels, int Capacity, DateTimeOffset Now, DateTimeOffset LeaseExpiresAt,
    string JobTokenHash);

/// <summary>
/// Takes the best queued run an agent may execute, in one statement that also returns what the
/// agent is handed (DESIGN.md section 5):
/// the highest priority, then the oldest; only runs whose labels the agent carries; only
/// while the agent has a free slot; never a run held back by its concurrency group. Each
/// provider has its own SQL because each has its own fastest correct form: PostgreSQL skips
/// rows other claimers hold (FOR UPDATE SKIP LOCKED), SQLite has one writer, so a single
/// UPDATE ... RETURNING is already atomic.
/// </summary>
public static class RunClaimer
{
    // The same statement shape for both; only the label test and the row lock differ.
    private const string Template = """
        UPDATE runs SET status = 'Running', agent_id = @agent, lease_epoch = lease_epoch + 1,
            lease_expires_at = @expires, started_at = @now, finished_at = NULL, log_seq = 0, trace_id = COALESCE(trace_id, @trace),
            job_token_hash = @job
        WHERE status = 'Queued'
          AND id = (SELECT r.id FROM runs r
                    WHERE r.status = 'Queued' AND r.held = FALSE AND {labels}
                    ORDER BY r.priority DESC, r.id
                    LIMIT 1{lock})
          AND (SELECT count(*) FROM runs b WHERE b.agent_id = @agent AND b.status = 'Running') < @capacity
        RETURNING id, lease_epoch, attempt, log_lines, number, recipe_json, recipe_hash,
            (SELECT p.key FROM projects p WHERE p.id = runs.project_id),
            (SELECT w.number FROM work_items w WHERE w.id = runs.work_item_id),
            created_at, queued_at, trace_id,
            (SELECT count(*) FROM run_approvals a WHERE a.run_id = runs.id),
            project_id,
            -- Most projects have no secrets: then the claim needs no second statement to read them.
            EXISTS (SELECT 1 FROM project_secrets s WHERE s.project_id = runs.project_id),
            -- Whether the agent would find another run now: when not, it need not look again until a run becomes claimable.
            EXISTS (SELECT 1 FROM runs m WHERE m.status = 'Queued' AND m.held = FALSE AND {more} AND m.id <> runs.id)
        """;

    private const string SqliteLabels = "NOT EXISTS (SELECT 1 FROM json_each({run}.labels) l WHERE l.value NOT IN (SELECT value FROM json_each(@labels)))";

    private static readonly string Sqlite = Template
        .Replace("{labels}", SqliteLabels.Replace("{run}", "r", StringComparison.Ordinal), StringComparison.Ordinal)
        .Replace("{more}", SqliteLabels.Replace("{run}", "m", StringComparison.Ordinal), StringComparison.Ordinal)
        .Replace("{lock}", "", StringComparison.Ordinal);

    private static readonly string Postgres = Template
        .Replace("{labels}", "r.labels <@ @labels", StringComparison.Ordinal)
        .Replace("{more}", "m.labels <@ @labels", StringComparison.Ordinal)
        .Replace("{lock}", " FOR UPDATE SKIP LOCKED", StringComparison.Ordinal);

    public static async Task<ClaimedRow?> TryClaimAsync(this BatonDbContext db, ClaimRequestRow request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(request);
        var sqlite = db.Database.IsSqlite();
        return await db.WithCommandAsync(sqlite ? Sqlite : Postgres, async command =>
        {
            command.AddParameter("agent", request.AgentId);
            command.AddParameter("capacity", request.Capacity);
            // SQLite stores times as UTC ticks (see UtcTicksConverter) and labels as a JSON array.
            command.AddParameter("now", sqlite ? request.Now.UtcTicks : request.Now.ToUniversalTime());
            command.AddParameter("expires", sqlite ? request.LeaseExpiresAt.UtcTicks : request.LeaseExpiresAt.ToUniversalTime());
            command.AddParameter("labels", sqlite ? JsonSerializer.Serialize(request.Labels) : request.Labels.ToArray());
            // Runs made before runs had trace ids get one when they first run.
            command.AddParameter("trace", System.Diagnostics.ActivityTraceId.CreateRandom().ToHexString());
            command.AddParameter("job", request.JobTokenHash);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }
            return new ClaimedRow(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt32(2), reader.GetInt64(3), reader.GetInt32(4),
                reader.GetString(5), reader.GetString(6), reader.GetString(7), reader.GetInt32(8), Time(reader, 9, sqlite)!.Value,
                Time(reader, 10, sqlite), reader.IsDBNull(11) ? null : reader.GetString(11), reader.GetInt64(12) > 0,
                reader.GetInt64(13), reader.GetBoolean(14), reader.GetBoolean(15));
        }, cancellationToken);
    }

    /// <summary>SQLite stores times as UTC ticks (see UtcTicksConverter); PostgreSQL as timestamptz.</summary>
    private static DateTimeOffset? Time(DbDataReader reader, int ordinal, bool sqlite) =>
        reader.IsDBNull(ordinal) ? null
        : sqlite ? new DateTimeOffset(reader.GetInt64(ordinal), TimeSpan.Zero)
        : reader.GetFieldValue<DateTimeOffset>(ordinal);
}
