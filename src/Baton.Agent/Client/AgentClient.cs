using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Baton.Agent.Logs;
using Baton.Contracts.Agents;
using Baton.Contracts.Json;

namespace Baton.Agent.Client;

/// <summary>
/// The agent's side of the agent protocol (DESIGN.md section 4) over HTTP: one method per call.
/// Register and claim throw <see cref="AgentCallException"/> when they get no usable answer (the
/// caller backs off); writes about a run never throw for the server's answers, they return
/// <see cref="WriteResult"/>. Only the caller's own token ends a call with an exception.
/// Calls about a run carry the job token its claim handed out (remembered here until <see cref="Forget"/>);
/// the agent's own token is for registering and claiming.
/// </summary>
public sealed class AgentClient : ILogTransport
{
    /// <summary>Longest wait for an answer that the server does not hold on purpose.</summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);
    /// <summary>Added to a long poll's own wait: the server answers at its end, the network needs a little more.</summary>
    private static readonly TimeSpan PollSlack = TimeSpan.FromSeconds(10);

    private readonly HttpClient _http;
    private readonly Uri _server;
    private readonly AuthenticationHeaderValue _authorization;
    private readonly ConcurrentDictionary<long, AuthenticationHeaderValue> _jobTokens = new();

    /// <param name="http">Shared, owned by the caller; its own Timeout should be infinite (each call sets its own).</param>
    public AgentClient(HttpClient http, Uri server, string token)
    {
        ArgumentNullException.ThrowIfNull(server);
        _http = http;
        // A trailing slash makes relative paths land under a server mounted below a path prefix.
        _server = server.AbsoluteUri.EndsWith('/') ? server : new Uri(server.AbsoluteUri + "/");
        _authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    public async Task<RegisterAgentResponse> RegisterAsync(RegisterAgentRequest request, CancellationToken cancellationToken)
    {
        var reply = await CallAsync(HttpMethod.Post, "api/agents/register", request, Json.RegisterAgentRequest, Json.RegisterAgentResponse, CallTimeout,
            cancellationToken);
        return reply is { Status: HttpStatusCode.OK, Body: { } registered } ? registered : throw reply.Failure("register");
    }

    /// <summary>Long poll for a run: null when none was queued within the wait.</summary>
    public async Task<ClaimedRun?> ClaimAsync(long agentId, ClaimRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var reply = await CallAsync(HttpMethod.Post, $"api/agents/{Id(agentId)}/claim", request, Json.ClaimRequest, Json.ClaimedRun,
            TimeSpan.FromSeconds(request.WaitSeconds ?? 0) + PollSlack, cancellationToken);
        return reply switch
        {
            { Status: HttpStatusCode.NoContent } => null,
            { Status: HttpStatusCode.OK, Body: { } run } => Remember(run),
            { Status: HttpStatusCode.NotFound } => throw new AgentNotRegisteredException($"the server does not know agent {agentId}"),
            _ => throw reply.Failure("claim"),
        };
    }

    /// <summary>Renews the lease; the server may hold the answer up to the request's wait, answering early on cancellation.</summary>
    public async Task<LeaseResult> RenewLeaseAsync(long runId, LeaseRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var reply = await CallAsync(HttpMethod.Post, $"api/runs/{Id(runId)}/lease", request, Json.LeaseRequest, Json.LeaseResponse,
            TimeSpan.FromSeconds(request.WaitSeconds ?? 0) + PollSlack, cancellationToken, runId);
        return reply switch
        {
            { Status: HttpStatusCode.OK, Body: { } lease } => new LeaseResult(WriteResult.Accepted, lease),
            { Status: HttpStatusCode.Conflict or HttpStatusCode.Unauthorized } => LeaseResult.Lost,
            _ => LeaseResult.Failed,
        };
    }

    /// <summary>The latest states of the steps that changed, stored by the server in one transaction.</summary>
    public async Task<WriteResult> UpdateStepsAsync(long runId, StepsUpdate update, CancellationToken cancellationToken) =>
        ToWriteResult(await CallAsync(HttpMethod.Put, $"api/runs/{Id(runId)}/steps", update, Json.StepsUpdate, UnreadAnswer, CallTimeout,
            cancellationToken, runId));

    /// <summary>Reports the run's end; the answer may carry the agent's next run (see <see cref="CompleteRequest.ClaimFor"/>).</summary>
    public async Task<CompleteResult> CompleteAsync(long runId, CompleteRequest request, CancellationToken cancellationToken)
    {
        var reply = await CallAsync(HttpMethod.Post, $"api/runs/{Id(runId)}/complete", request, Json.CompleteRequest, Json.CompleteResponse, CallTimeout,
            cancellationToken, runId);
        return new CompleteResult(ToWriteResult(reply), Remember(reply.Body?.Next));
    }

    /// <summary>Drops the job token of a run this agent is done with.</summary>
    public void Forget(long runId) => _jobTokens.TryRemove(runId, out _);

    private ClaimedRun? Remember(ClaimedRun? run)
    {
        if (run?.JobToken is { } token)
        {
            _jobTokens[run.RunId] = new AuthenticationHeaderValue("Bearer", token);
        }
        return run;
    }

    /// <summary>
    /// Sends a spooled batch's JSON as it is on disk. Its answer is told apart more finely than other writes: a server that is away (no answer, 425, 502-504)
    /// is waited for without end, but one that keeps answering 500 or a 4xx will not store the batch by being asked again.
    /// </summary>
    async Task<LogDelivery> ILogTransport.SendAsync(long runId, SpooledBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var reply = await SendAsync(HttpMethod.Post, $"api/runs/{Id(runId)}/logs", batch.Json, UnreadAnswer, CallTimeout, cancellationToken, runId);
        return reply.Status switch
        {
            HttpStatusCode.OK or HttpStatusCode.NoContent => LogDelivery.Accepted,
            HttpStatusCode.Conflict or HttpStatusCode.Unauthorized => LogDelivery.StaleEpoch,
            null or (HttpStatusCode)425 or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout
                or HttpStatusCode.TooManyRequests => LogDelivery.Failed,
            HttpStatusCode.RequestEntityTooLarge => LogDelivery.TooLarge,
            _ => LogDelivery.Refused,
        };
    }

    // Generated code, not reflection: the native baton-agent has none to spare (AgentJsonContext).
    private static AgentJsonContext Json => AgentJsonContext.Wire;

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    // 425 (an earlier log batch is missing) and 5xx are worth retrying, like a network error; 409 and 401 are final
    // (the lease moved on, or the run's job token no longer works: either way the run is no longer this agent's).
    private static WriteResult ToWriteResult<T>(Reply<T> reply) where T : class => reply.Status switch
    {
        HttpStatusCode.OK or HttpStatusCode.NoContent => WriteResult.Accepted,
        HttpStatusCode.Conflict or HttpStatusCode.Unauthorized => WriteResult.StaleEpoch,
        _ => WriteResult.Failed,
    };

    // Serialized up front: a body with a Content-Length passes proxies that refuse chunked requests.
    private Task<Reply<T>> CallAsync<TBody, T>(HttpMethod method, string path, TBody body, JsonTypeInfo<TBody> bodyJson, JsonTypeInfo<T>? answerJson,
        TimeSpan timeout, CancellationToken cancellationToken, long? runId = null) where T : class =>
        SendAsync(method, path, JsonSerializer.SerializeToUtf8Bytes(body, bodyJson), answerJson, timeout, cancellationToken, runId);

    /// <param name="answerJson">How to read a 200 answer's body; null when it is not read.</param>
    /// <param name="runId">The run the call is about: it carries that run's job token when the claim gave one.</param>
    private async Task<Reply<T>> SendAsync<T>(HttpMethod method, string path, ReadOnlyMemory<byte> json, JsonTypeInfo<T>? answerJson, TimeSpan timeout,
        CancellationToken cancellationToken, long? runId = null) where T : class
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        using var content = new ReadOnlyMemoryContent(json);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        using var request = new HttpRequestMessage(method, new Uri(_server, path)) { Content = content };
        request.Headers.Authorization = runId is { } run && _jobTokens.TryGetValue(run, out var job) ? job : _authorization;
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            var value = response.StatusCode == HttpStatusCode.OK && answerJson is not null
                ? await response.Content.ReadFromJsonAsync(answerJson, deadline.Token)
                : null;
            return new Reply<T>(method, path, response.StatusCode, value, null);
        }
        catch (HttpRequestException exception)
        {
            return new Reply<T>(method, path, null, null, exception.Message);
        }
        catch (JsonException exception)
        {
            return new Reply<T>(method, path, null, null, $"unreadable answer: {exception.Message}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new Reply<T>(method, path, null, null, $"no answer within {timeout.TotalSeconds:0} s");
        }
    }

    /// <summary>Marks calls whose answer body is not read.</summary>
    private sealed class NoBody;

    private static JsonTypeInfo<NoBody>? UnreadAnswer => null;

    /// <summary>A call's outcome: a status (null when no answer came) and, for 200, the body.</summary>
    private sealed record Reply<T>(HttpMethod Method, string Path, HttpStatusCode? Status, T? Body, string? Error) where T : class
    {
        public AgentCallException Failure(string call) => new(Status is { } status
            ? $"{call}: {Method} /{Path} answered {(int)status} {status}"
            : $"{call}: {Method} /{Path} failed: {Error}");
    }
}
