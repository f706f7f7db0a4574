using Baton.Core.Agents;
using Microsoft.EntityFrameworkCore;

namespace Baton.Persistence.Agents;

/// <summary>
/// Records that an agent was seen and reads its row back in the same statement (UPDATE ... RETURNING), so the claim
/// that starts every long poll of an idle agent costs one statement for its agent instead of a read and a write.
/// </summary>
public static class AgentTouch
{
    private const string Sql = "UPDATE agents SET last_seen_at = {0}, draining = {1} WHERE id = {2} RETURNING *";

    /// <returns>The agent as stored after the update; null when no agent has that id.</returns>
    public static async Task<Agent?> TouchAgentAsync(this BatonDbContext db, long agentId, DateTimeOffset now, bool draining,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        // Raw parameters get no value converter: SQLite stores times as UTC ticks (see UtcTicksConverter).
        object seenAt = db.Database.IsSqlite() ? now.UtcTicks : now.ToUniversalTime();
        // Not composed with anything (no Single, no Where): EF Core sends the statement as written.
        var rows = await db.Agents.FromSqlRaw(Sql, seenAt, draining, agentId).AsNoTracking().ToListAsync(cancellationToken);
        return rows.Count == 0 ? null : rows[0];
    }
}
