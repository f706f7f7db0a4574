using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Baton.Server.Tests.Infrastructure;

/// <summary>
/// Makes a test's HttpClient behave like an agent about tokens: the agent token for registering and claiming,
/// and for a run's calls (lease, logs, steps, complete) the job token the run's claim answered with.
/// A request that names its own Authorization keeps it (tests of the job tokens themselves).
/// </summary>
internal sealed partial class JobTokenHandler(string agentToken) : DelegatingHandler
{
    private readonly ConcurrentDictionary<long, string> _jobTokens = new();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.AbsolutePath;
        var run = RunCall().Match(path);
        request.Headers.Authorization ??= new AuthenticationHeaderValue("Bearer",
            run.Success && _jobTokens.TryGetValue(long.Parse(run.Groups[1].Value, CultureInfo.InvariantCulture), out var job) ? job : agentToken);
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.OK && (ClaimCall().IsMatch(path) || path.EndsWith("/complete", StringComparison.Ordinal)))
        {
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken)).RootElement;
            Remember(body.TryGetProperty("next", out var next) ? next : body);
        }
        return response;
    }

    private void Remember(JsonElement claimed)
    {
        if (claimed.ValueKind == JsonValueKind.Object && claimed.TryGetProperty("jobToken", out var token) && token.GetString() is { } secret)
        {
            _jobTokens[claimed.GetProperty("runId").GetInt64()] = secret;
        }
    }

    [GeneratedRegex(@"^/api/runs/(\d+)/(lease|logs|steps|steps/\d+|complete)$")]
    private static partial Regex RunCall();

    [GeneratedRegex(@"^/api/agents/\d+/claim$")]
    private static partial Regex ClaimCall();
}
