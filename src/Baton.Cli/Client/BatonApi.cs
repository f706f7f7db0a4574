using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Reflection;
using System.Text.Json;

namespace Baton.Cli.Client;

/// <summary>
/// An answer: the JSON as the server sent it (for <c>--output json</c>), and typed for tables. The typed form is
/// made when first read: a script's <c>-o json</c> call does not pay for deserializing what it never shows.
/// </summary>
internal sealed class ApiResult<T>
{
    private readonly Lazy<T> _value;

    public ApiResult(JsonElement json, HttpStatusCode status = HttpStatusCode.OK)
    {
        Json = json;
        Status = status;
        _value = new Lazy<T>(() => json.ValueKind == JsonValueKind.Undefined ? default! : json.Deserialize<T>(ClientJson.Options)!);
    }

    public ApiResult(T value, JsonElement json)
    {
        Json = json;
        _value = new Lazy<T>(value);
    }

    public JsonElement Json { get; }

    /// <summary>The success status the server answered (201 for something new, 200 for something that already was).</summary>
    public HttpStatusCode Status { get; } = HttpStatusCode.OK;

    public T Value => _value.Value;
}

/// <summary>The Baton HTTP API as the client commands use it: bearer token, JSON in and out, ProblemDetails as <see cref="ApiException"/>.</summary>
internal sealed class BatonApi : IDisposable
{
    private static readonly string UserAgent = $"baton-cli/{Assembly.GetExecutingAssembly().GetName().Version?.ToString(3) ?? "0"}";
    private readonly HttpClient _http;
    private readonly string _token;

    public BatonApi(Uri server, string token)
    {
        Server = server;
        _token = token;
        _http = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromMinutes(2) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        _http.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent);
    }

    public Uri Server { get; }

    public static string Escape(string segment) => Uri.EscapeDataString(segment);

    public Task<ApiResult<T>> GetAsync<T>(string path, CancellationToken cancellationToken) =>
        SendAsync<T>(HttpMethod.Get, path, null, cancellationToken);

    public Task<ApiResult<T>> PostAsync<T>(string path, object? body, CancellationToken cancellationToken) =>
        SendAsync<T>(HttpMethod.Post, path, Json(body), cancellationToken);

    public Task<ApiResult<T>> PutAsync<T>(string path, object? body, CancellationToken cancellationToken) =>
        SendAsync<T>(HttpMethod.Put, path, Json(body), cancellationToken);

    public Task<ApiResult<T>> DeleteAsync<T>(string path, CancellationToken cancellationToken) =>
        SendAsync<T>(HttpMethod.Delete, path, null, cancellationToken);

    /// <summary>Sends a recipe file as it is written (the server keeps the YAML byte for byte).</summary>
    public Task<ApiResult<T>> SendYamlAsync<T>(HttpMethod method, string path, string yaml, CancellationToken cancellationToken) =>
        SendAsync<T>(method, path, new StringContent(yaml, System.Text.Encoding.UTF8, "application/yaml"), cancellationToken);

    public async Task<ApiResult<T>> SendAsync<T>(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        var (body, status) = await SendForTextAsync(method, path, content, null, cancellationToken);
        using var document = body.Length == 0 ? null : JsonDocument.Parse(body);
        return new ApiResult<T>(document is null ? default : document.RootElement.Clone(), status);
    }

    /// <summary>A text answer (a recipe's YAML, a log as text).</summary>
    public async Task<string> GetTextAsync(string path, string accept, CancellationToken cancellationToken) =>
        (await SendForTextAsync(HttpMethod.Get, path, null, accept, cancellationToken)).Body;

    /// <summary>Opens one of the run streams (<c>/api/runs/{id}/logs/stream</c>, <c>/steps/stream</c>) with the same token.</summary>
    public async Task<ClientWebSocket> ConnectAsync(string path, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", $"Bearer {_token}");
        socket.Options.SetRequestHeader("User-Agent", UserAgent);
        var address = new UriBuilder(new Uri(Server, path)) { Scheme = Server.Scheme == Uri.UriSchemeHttps ? "wss" : "ws" }.Uri;
        try
        {
            await socket.ConnectAsync(address, cancellationToken);
            return socket;
        }
        catch (WebSocketException exception)
        {
            socket.Dispose();
            throw new CliException(ExitCodes.ServerUnavailable, $"cannot open the live stream {address}: {exception.Message}");
        }
    }

    public void Dispose() => _http.Dispose();

    private static JsonContent? Json(object? body) => body is null ? null : JsonContent.Create(body, body.GetType(), options: ClientJson.Options);

    private async Task<(string Body, HttpStatusCode Status)> SendForTextAsync(HttpMethod method, string path, HttpContent? content, string? accept,
        CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (accept is not null)
        {
            request.Headers.Accept.ParseAdd(accept);
        }
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException exception)
        {
            throw new CliException(ExitCodes.ServerUnavailable, $"cannot reach the Baton server at {Server}: {exception.Message}");
        }
        catch (TaskCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CliException(ExitCodes.ServerUnavailable, $"the Baton server at {Server} did not answer in time ({exception.Message})");
        }
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            return response.IsSuccessStatusCode ? (text, response.StatusCode) : throw ApiException.From(response.StatusCode, text);
        }
    }
}
