using System.Net;
using System.Net.Http.Json;
using Baton.Contracts.Json;
using Baton.Contracts.Agents;
using Baton.Server.Tests.Infrastructure;

namespace Baton.Server.Tests.Features.Logs;

/// <summary>The smallest log batch limit the server accepts (64 KiB), so a test can pass it.</summary>
public sealed class SmallLogBatchApplication : SqliteApplication
{
    public const int Limit = 64 * 1024;

    public SmallLogBatchApplication() => Settings["Runs:MaxLogBatchBytes"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

public sealed class LogBatchLimitTests(SmallLogBatchApplication app) : ApiTestBase<SmallLogBatchApplication>(app)
{
    [Fact]
    public async Task ABatchPastRunsMaxLogBatchBytes_Gets413_AndStoresNothing_ThenASmallerOneIsTaken()
    {
        var (runId, claimed, agent) = await RunningAsync("batcher");
        var line = new string('x', 1000);
        var tooLarge = new LogBatch(claimed.Epoch, 1, [.. Enumerable.Range(1, 100)
            .Select(n => new LogBatchLine(n, TimeProvider.System.GetUtcNow(), 0, LogSourceName.Stdout, line))]);

        var refused = await ProblemAsync(await agent.PostAsJsonAsync($"/api/runs/{runId}/logs", tooLarge, BatonJson.Options),
            HttpStatusCode.RequestEntityTooLarge);

        Assert.Contains(SmallLogBatchApplication.Limit.ToString(System.Globalization.CultureInfo.InvariantCulture), refused.GetProperty("detail").GetString());
        Assert.Equal(0, (await Admin.RunAsync(runId)).GetProperty("logLines").GetInt64());
        // The same sequence number is still free: the refused batch left nothing behind.
        Assert.Equal(HttpStatusCode.OK, (await agent.SendLogsAsync(runId, claimed.Epoch, 1, 1, 3)).StatusCode);
        Assert.Equal(3, (await Admin.RunAsync(runId)).GetProperty("logLines").GetInt64());
    }
}
