using System.Collections.Concurrent;
using System.Diagnostics;
using Baton.Core.Access;
using Baton.Server.Tests.Infrastructure;
using Baton.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Baton.Server.Tests.Features.Agents;

/// <summary>
/// An idle system must not poll its database: an agent waiting for work costs a fixed handful of
/// statements per long poll, however long the poll waits. Counted by PostgreSQL's client library
/// itself (Npgsql's ActivitySource sees every command, EF's and raw SQL alike).
/// </summary>
public sealed partial class IdleCostTests(PostgresApplication app) : ApiTestBase<PostgresApplication>(app), IDisposable
{
    private readonly ConcurrentQueue<string> _commands = new();
    private ActivityListener? _listener;

    private void Count(string database)
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                // Commands only: opening a physical connection is not a query.
                if (activity.Tags.Any(tag => tag.Value == database) && !activity.DisplayName.StartsWith("CONNECT", StringComparison.Ordinal))
                {
                    var text = activity.Tags.FirstOrDefault(tag => tag.Key is "db.query.text" or "db.statement").Value ?? activity.DisplayName;
                    _commands.Enqueue(text[..Math.Min(200, text.Length)]);
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    private readonly List<string> _seen = [];

    private async Task<int> StatementsDuringAPollAsync(HttpClient agent, long agentId, int seconds)
    {
        _commands.Clear();
        var watch = Stopwatch.StartNew();
        Assert.Null(await agent.ClaimAsync(agentId, waitSeconds: seconds));
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(seconds - 0.5), "the poll waited");
        _seen.Add($"{seconds} s: {string.Join(" | ", _commands)}");
        return _commands.Count;
    }

    [Fact]
    public async Task AnIdleAgentsLongPoll_CostsAFixedFewStatements_NotOnePerMoment()
    {
        var database = new NpgsqlConnectionStringBuilder(await App.DbAsync(db => Task.FromResult(db.Database.GetConnectionString()!))).Database!;
        var agent = await App.AgentClientAsync();
        var agentId = await agent.RegisterAsync("idle-" + Guid.NewGuid().ToString("N")[..8], ["idle-only"]);
        // The PostgreSQL listener wakes every waiting claim once when it connects; on a loaded machine that can be
        // seconds after start, so wait for it to be listening before anything is counted.
        await Eventually.TrueAsync(async () => await App.DbAsync(db => db.Database
            .SqlQuery<int>($"SELECT count(*)::int AS \"Value\" FROM pg_stat_activity WHERE datname = {database} AND query LIKE 'LISTEN%'")
            .SingleAsync()) > 0, TimeSpan.FromSeconds(60), "the PostgreSQL listener to be connected");
        Count(database);
        // The first poll may still meet that wake-up, delivered a moment after the LISTEN.
        await StatementsDuringAPollAsync(agent, agentId, 1);

        var shortPoll = await StatementsDuringAPollAsync(agent, agentId, 2);
        var longPoll = await StatementsDuringAPollAsync(agent, agentId, 6);
        // Begun more than the sighting's precision after the last one: the agent's row is written and read again.
        var afterSilence = await StatementsDuringAPollAsync(agent, agentId, 1);
        var agentStatements = _commands.Count(text => AgentsTable().IsMatch(text));

        // Token lookup, the agent's last-seen touch, one claim attempt; at most once a minute the token's last use.
        Assert.True(shortPoll is >= 1 and <= 4 && longPoll == shortPoll && afterSilence <= 4, string.Join("\n", _seen));
        // The touch reads the row back (UPDATE ... RETURNING), so the agent costs one statement, not a read and a write.
        Assert.True(agentStatements == 1, string.Join("\n", _seen));
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\bagents\b")]
    private static partial System.Text.RegularExpressions.Regex AgentsTable();

    public void Dispose() => _listener?.Dispose();
}
