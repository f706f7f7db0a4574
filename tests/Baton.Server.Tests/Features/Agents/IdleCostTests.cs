using System.Collections.Concurrent;
using System.Diagnostics;
using Baton.Core.Access;
using Baton.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Baton.Server.Tests.Features.Agents;

/// <summary>
/// An idle system must not poll its database: an agent waiting for work costs a fixed handful of
/// statements per long poll, however long the poll waits. Counted by PostgreSQL's client library
/// itself (Npgsql's ActivitySource sees every command, EF's and raw SQL alike).
/// </summary>
public sealed class IdleCostTests(PostgresApplication app) : ApiTestBase<PostgresApplication>(app), IDisposable
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
                if (activity.Tags.Any(tag => tag.Value == database))
                {
                    _commands.Enqueue(activity.DisplayName);
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    private async Task<int> StatementsDuringAPollAsync(HttpClient agent, long agentId, int seconds)
    {
        _commands.Clear();
        var watch = Stopwatch.StartNew();
        Assert.Null(await agent.ClaimAsync(agentId, waitSeconds: seconds));
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(seconds - 0.5), "the poll waited");
        return _commands.Count;
    }

    [Fact]
    public async Task AnIdleAgentsLongPoll_CostsAFixedFewStatements_NotOnePerMoment()
    {
        var database = new NpgsqlConnectionStringBuilder(await App.DbAsync(db => Task.FromResult(db.Database.GetConnectionString()!))).Database!;
        var agent = App.Client(await App.TokenAsync(Role.Agent));
        var agentId = await agent.RegisterAsync("idle-" + Guid.NewGuid().ToString("N")[..8], ["idle-only"]);
        Count(database);

        var shortPoll = await StatementsDuringAPollAsync(agent, agentId, 2);
        var longPoll = await StatementsDuringAPollAsync(agent, agentId, 6);

        // Token lookup, the agent's last-seen touch and read, one claim attempt; at most once a minute the token's last use.
        Assert.InRange(shortPoll, 1, 5);
        Assert.InRange(longPoll, 1, shortPoll);
    }

    public void Dispose() => _listener?.Dispose();
}
