using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Baton.Chaos.Checking;
using Polly;
using Polly.Retry;

namespace Baton.Chaos.Workload;

/// <summary>
/// The chaos run's client: queues the mix of requests through the front, sending again whatever got
/// no answer (a replica died under it, the front had nobody to send it to), and keeps the history the
/// checker compares with the store: each request's kind, how often it was sent, and its acknowledgement.
/// </summary>
public sealed class ChaosClient(HttpClient api, string project) : IDisposable
{
    /// <summary>Work items in each plan, a chain: each depends on the one before.</summary>
    public const int PlanItems = 3;
    private const int MaxSends = 40;
    // Sent again after no answer or an answer worth another try: from about 0.2 s doubling up to 3 s, with jitter, MaxSends sends at most.
    private static readonly ResiliencePipeline Resend = new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions
    {
        ShouldHandle = args => ValueTask.FromResult(Unanswered(args.Outcome.Exception) && !args.Context.CancellationToken.IsCancellationRequested),
        BackoffType = DelayBackoffType.Exponential,
        UseJitter = true,
        Delay = TimeSpan.FromMilliseconds(200),
        MaxDelay = TimeSpan.FromSeconds(3),
        MaxRetryAttempts = MaxSends - 1,
    }).Build();

    /// <summary>The request mix, by number: six in ten one-step runs, three multi-step runs with output, one plan.</summary>
    public static RequestKind KindOf(int request) => (request % 10) switch
    {
        < 6 => RequestKind.OneStep,
        < 9 => RequestKind.MultiStep,
        _ => RequestKind.Plan,
    };

    /// <summary>Requests numbered from 1 until they add up to <paramref name="runs"/> runs (a plan makes one per item).</summary>
    public static IReadOnlyList<RequestKind> Mix(int runs)
    {
        var kinds = new List<RequestKind>();
        for (var total = 0; total < runs;)
        {
            var kind = KindOf(kinds.Count + 1);
            kinds.Add(kind);
            total += kind == RequestKind.Plan ? PlanItems : 1;
        }
        return kinds;
    }

    /// <summary>Creates the project the runs belong to: labels that send its runs to the chaos agents, as many attempts as a project may have (10), to outlive repeated kills.</summary>
    public async Task CreateProjectAsync(string label, CancellationToken cancellationToken)
    {
        var body = new { key = project, name = "Chaos", policy = new { defaultLabels = new[] { label }, maxRunAttempts = 10 } };
        await RetryAsync(async () =>
        {
            using var response = await api.PostAsJsonAsync("/api/projects", body, cancellationToken);
            // A conflict means an earlier send of this same request created it.
            if (response.StatusCode != HttpStatusCode.Conflict)
            {
                await EnsureDoneAsync(response, "create the project");
            }
            return true;
        }, cancellationToken);
    }

    /// <summary>A secret for the agents' own token.</summary>
    public async Task<string> AgentTokenAsync(CancellationToken cancellationToken) =>
        await RetryAsync(async () =>
        {
            using var response = await api.PostAsJsonAsync("/api/tokens", new { name = "chaos-agents", role = "agent" }, cancellationToken);
            await EnsureDoneAsync(response, "create the agent token");
            return (await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("secret").GetString();
        }, cancellationToken) ?? throw new InvalidOperationException("the token answer had no secret");

    /// <summary>Sends every request of <paramref name="kinds"/>, <paramref name="parallel"/> at a time, and answers the client's history.</summary>
    public async Task<IReadOnlyList<ClientRequest>> SendAllAsync(IReadOnlyList<RequestKind> kinds, int parallel, CancellationToken cancellationToken)
    {
        var history = new ClientRequest[kinds.Count];
        await Parallel.ForAsync(0, kinds.Count, new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = cancellationToken },
            async (index, token) => history[index] = await SendAsync(index + 1, kinds[index], token));
        return history;
    }

    private async Task<ClientRequest> SendAsync(int number, RequestKind kind, CancellationToken cancellationToken)
    {
        if (kind == RequestKind.Plan)
        {
            var last = await PlanChainAsync(number, cancellationToken);
            var (planSends, plan) = await SendUntilAcknowledgedAsync(
                () => new StringContent(JsonSerializer.Serialize(new { workItems = new[] { last } }), Encoding.UTF8, "application/json"),
                $"/api/projects/{project}/plans", cancellationToken);
            return new ClientRequest(number, kind, planSends, plan, PlanItems);
        }
        var yaml = Recipes.For(kind, number);
        var (sends, run) = await SendUntilAcknowledgedAsync(
            () => new StringContent(yaml, Encoding.UTF8, "application/yaml"), $"/api/projects/{project}/exec", cancellationToken);
        return new ClientRequest(number, kind, sends, run);
    }

    /// <summary>The plan's work items with their recipes; answers the last one's key (planning it plans the chain).</summary>
    private async Task<string> PlanChainAsync(int number, CancellationToken cancellationToken)
    {
        string? previous = null;
        for (var item = 1; item <= PlanItems; item++)
        {
            var body = new { title = $"chaos-{number}-{item}", dependsOn = previous is null ? Array.Empty<string>() : [previous] };
            var key = await RetryAsync(async () =>
            {
                using var response = await api.PostAsJsonAsync($"/api/projects/{project}/work-items", body, cancellationToken);
                await EnsureDoneAsync(response, "create a work item");
                return (await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("key").GetString()!;
            }, cancellationToken);
            await RetryAsync(async () =>
            {
                using var content = new StringContent(Recipes.PlanItem, Encoding.UTF8, "application/yaml");
                using var response = await api.PutAsync($"/api/projects/{project}/work-items/{key}/recipe", content, cancellationToken);
                await EnsureDoneAsync(response, "set a recipe");
                return true;
            }, cancellationToken);
            previous = key;
        }
        return previous!;
    }

    /// <summary>Posts until the server accepts (and answers the id it gave); every post counts as a send, answered or not.</summary>
    private async Task<(int Sends, long? Id)> SendUntilAcknowledgedAsync(Func<HttpContent> body, string path, CancellationToken cancellationToken)
    {
        var sends = 0;
        try
        {
            var id = await Resend.ExecuteAsync(async token =>
            {
                sends++;
                using var content = body();
                using var response = await api.PostAsync(path, content, token);
                await EnsureDoneAsync(response, $"POST {path}");
                return (await response.Content.ReadFromJsonAsync<JsonElement>(token)).GetProperty("id").GetInt64();
            }, cancellationToken);
            return (sends, id);
        }
        catch (Exception exception) when (Unanswered(exception) && !cancellationToken.IsCancellationRequested)
        {
            // Sent MaxSends times with no answer, or half of one, each time: it may or may not have taken effect.
            return (sends, null);
        }
    }

    /// <summary>Calls until one call ends without a transient failure; a refusal ends it with its exception, and so does the last failure.</summary>
    private static async Task<T> RetryAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken) =>
        await Resend.ExecuteAsync(async _ => await call(), cancellationToken);

    /// <summary>Returns for a success; throws <see cref="TransientFailure"/> for an answer worth another try, else the refusal (the workload's own bug).</summary>
    private static async Task EnsureDoneAsync(HttpResponseMessage response, string what)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }
        if (Transient(response.StatusCode))
        {
            throw new TransientFailure();
        }
        throw new InvalidOperationException($"the server refused to {what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private sealed class TransientFailure : Exception;

    /// <summary>What a dead replica, a busy front or a database restart answer: worth sending again.</summary>
    private static bool Transient(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout || (int)status >= 500;

    /// <summary>No answer, half of one, or an answer worth another try: the request may or may not have taken effect.</summary>
    private static bool Unanswered(Exception? exception) =>
        exception is HttpRequestException or TaskCanceledException or JsonException or TransientFailure;

    public void Dispose() => api.Dispose();

    /// <summary>An API client for <paramref name="front"/> that sends the admin token.</summary>
    public static HttpClient Api(string front, string token)
    {
        var http = new HttpClient { BaseAddress = new Uri(front), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }
}
