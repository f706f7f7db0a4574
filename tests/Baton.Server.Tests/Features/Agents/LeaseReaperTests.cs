using System.Net;
using Baton.Contracts.Runs;
using Baton.Core.Access;
using Baton.Server.Tests.Infrastructure;
using Baton.Tests.Support;

namespace Baton.Server.Tests.Features.Agents;

/// <summary>Leases of two seconds, so expiry happens within a test.</summary>
public sealed class ShortLeaseSqliteApplication : SqliteApplication
{
    public ShortLeaseSqliteApplication() => ShortLeases(Settings);

    internal static void ShortLeases(Dictionary<string, string?> settings)
    {
        settings["Runs:LeaseSeconds"] = "2";
        settings["Runs:RenewSeconds"] = "1";
        settings["Runs:RestartGraceSeconds"] = "0";
    }
}

public sealed class ShortLeasePostgresApplication : PostgresApplication
{
    public ShortLeasePostgresApplication() => ShortLeaseSqliteApplication.ShortLeases(Settings);
}

public sealed class SqliteLeaseReaperTests(ShortLeaseSqliteApplication app) : LeaseReaperTests<ShortLeaseSqliteApplication>(app);

public sealed class PostgresLeaseReaperTests(ShortLeasePostgresApplication app) : LeaseReaperTests<ShortLeasePostgresApplication>(app);

public abstract class LeaseReaperTests<TApp>(TApp app) : ApiTestBase<TApp>(app) where TApp : BatonApplication
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private async Task<bool> StatusIsAsync(long runId, string status, int attempt)
    {
        var run = await Admin.RunAsync(runId);
        return run.GetProperty("status").GetString() == status && run.GetProperty("attempt").GetInt32() == attempt;
    }

    private async Task<System.Text.Json.JsonElement> ReachesAsync(long runId, string status, int attempt)
    {
        await Eventually.TrueAsync(() => StatusIsAsync(runId, status, attempt), Deadline, $"run {runId} to be {status} (attempt {attempt})");
        return await Admin.RunAsync(runId);
    }

    [Fact]
    public async Task AnExpiredLease_RequeuesTheRun_FencesTheOldAgent_AndGivesUpAfterTheLastAttempt()
    {
        var label = "r" + Guid.NewGuid().ToString("N")[..10];
        var key = await CreateProjectAsync();
        var item = await Admin.RunnableAsync(key, new { title = "item", labels = new[] { label } });
        var runId = await Admin.StartRunAsync(key, item);
        var agent = await App.AgentClientAsync();
        var agentId = await agent.RegisterAsync("sleepy-" + label, [label]);
        var first = (await agent.ClaimAsync(agentId))!;
        Assert.Equal(HttpStatusCode.OK, (await agent.SendLogsAsync(runId, first.Epoch, 1, 1, 3)).StatusCode);

        // The agent goes silent: no renewal. The reaper requeues the run as attempt 2.
        var requeued = await ReachesAsync(runId, "queued", 2);
        var zombie = await agent.SendLogsAsync(runId, first.Epoch, 2, 4, 1);
        var zombieEnd = await agent.CompleteAsync(runId, first.Epoch, RunResult.Succeeded);
        var second = (await agent.ClaimAsync(agentId))!;
        await agent.SendLogsAsync(runId, second.Epoch, 1, second.FirstLine, 2);
        var failed = await ReachesAsync(runId, "failed", 2);

        Assert.Contains("lease expired on sleepy-", requeued.GetProperty("statusReason").GetString());
        // The zombie's job token ended with its lease (401, which the agent treats like 409: stop the run).
        await ProblemAsync(zombie, HttpStatusCode.Unauthorized);
        await ProblemAsync(zombieEnd, HttpStatusCode.Unauthorized);
        Assert.Equal((2L, 2, 5L), (second.Epoch, second.Attempt, second.FirstLine));
        Assert.Contains("no attempts left", failed.GetProperty("statusReason").GetString());
        var log = await JsonAsync(await Admin.GetAsync($"/api/runs/{runId}/logs"));
        var lines = log.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(Enumerable.Range(1, 7).Select(n => (long)n), lines.Select(l => l.GetProperty("n").GetInt64()));
        Assert.Equal("system", lines[3].GetProperty("stream").GetString());
        Assert.Contains("requeued as attempt 2", lines[3].GetProperty("text").GetString());
        Assert.Contains("no attempts left", lines[6].GetProperty("text").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, log.GetProperty("nextAfter").ValueKind);
    }

    [Fact]
    public async Task ARenewedLease_DoesNotExpire()
    {
        var (runId, claimed, agent) = await RunningAsync("steady");

        // Renew for three lease periods; each lease poll waits one renew interval.
        var until = TimeProvider.System.GetUtcNow().AddSeconds(6);
        while (TimeProvider.System.GetUtcNow() < until)
        {
            var renewed = await agent.PostAsync($"/api/runs/{runId}/lease",
                System.Net.Http.Json.JsonContent.Create(new { epoch = claimed.Epoch, waitSeconds = 1 }));
            Assert.Equal(HttpStatusCode.OK, renewed.StatusCode);
        }

        Assert.True(await StatusIsAsync(runId, "running", 1));
    }
}
