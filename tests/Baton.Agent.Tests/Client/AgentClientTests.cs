using System.Net;
using Baton.Agent.Client;
using Baton.Agent.Logs;
using Baton.Contracts.Agents;
using Baton.Contracts.Runs;

namespace Baton.Agent.Tests.Client;

/// <summary>How the agent's client reads the answers a reverse proxy gives for a dead replica: "try again later", never "no".</summary>
public sealed class AgentClientTests : IDisposable
{
    private readonly FakeProxy _proxy = new();
    private readonly HttpClient _http;
    private readonly AgentClient _client;

    public AgentClientTests()
    {
        _http = new HttpClient(_proxy) { Timeout = Timeout.InfiniteTimeSpan };
        _client = new AgentClient(_http, new Uri("http://proxy.invalid/"), "agent-token");
    }

    [Theory]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.GatewayTimeout)]
    public async Task EveryCall_TreatsAProxysAnswerForADeadReplica_AsRetryLater(HttpStatusCode status)
    {
        _proxy.DownWith = status;
        var none = CancellationToken.None;

        // Register and claim throw what the host retries with backoff (not "unknown agent", which would register again).
        var register = await Assert.ThrowsAsync<AgentCallException>(() =>
            _client.RegisterAsync(new RegisterAgentRequest("a", [], 1, "1.0"), none));
        Assert.Contains(((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture), register.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<AgentCallException>(() => _client.ClaimAsync(1, new ClaimRequest(0), none));
        // Writes about a run say "not this time" (retried), never "stale epoch" (which stops the run).
        Assert.Equal(WriteResult.Failed, (await _client.RenewLeaseAsync(7, new LeaseRequest(3, 0), none)).Result);
        Assert.Equal(WriteResult.Failed, await _client.UpdateStepsAsync(7,
            new StepsUpdate(3, [new StepState(0, StepStatus.Running, 1, null, DateTimeOffset.UnixEpoch, null)]), none));
        Assert.Equal(WriteResult.Failed, (await _client.CompleteAsync(7, new CompleteRequest(3, RunResult.Succeeded, 0), none)).Result);
        // A log batch is waited for without end, not refused (which would fail the run once the refusal budget is spent).
        var batch = new SpooledBatch(1, System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new LogBatch(3, 1, []), Baton.Contracts.Json.BatonJson.Options));
        Assert.Equal(LogDelivery.Failed, await ((ILogTransport)_client).SendAsync(7, batch, none));
        Assert.Equal(6, _proxy.Refused);
    }

    public void Dispose()
    {
        _http.Dispose();
        _proxy.Dispose();
    }
}
