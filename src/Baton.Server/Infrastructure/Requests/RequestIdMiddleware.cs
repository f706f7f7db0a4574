using System.Diagnostics;

namespace Baton.Server.Infrastructure.Requests;

/// <summary>
/// Accepts a caller's <c>X-Request-Id</c> (or makes one), echoes it on the response, and
/// opens a logging scope so every log entry of the request carries it. Also writes the one
/// log line per request, inside that scope (the host's own request logs are turned down in
/// appsettings.json because they are written before any middleware can add the id).
/// </summary>
internal sealed partial class RequestIdMiddleware(RequestDelegate next, ILogger<RequestIdMiddleware> logger, TimeProvider clock)
{
    public const string HeaderName = "X-Request-Id";
    private const int MaxLength = 128;
    private static readonly object ItemKey = new();

    public async Task InvokeAsync(HttpContext context)
    {
        var requestId = Accept(context.Request.Headers[HeaderName].ToString()) ?? Guid.CreateVersion7().ToString("N");
        context.Items[ItemKey] = requestId;
        context.TraceIdentifier = requestId;
        context.Response.OnStarting(() =>
        {
            context.Response.Headers[HeaderName] = requestId;
            return Task.CompletedTask;
        });
        using var scope = logger.BeginScope(new RequestScope(requestId, Activity.Current?.TraceId.ToString()));
        var started = clock.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            var elapsedMs = clock.GetElapsedTime(started).TotalMilliseconds;
            var path = context.Request.Path.Value ?? "/";
            Log.Request(logger, context.Request.Method, path, context.Response.StatusCode, elapsedMs);
        }
    }

    public static string Get(HttpContext context) =>
        context.Items.TryGetValue(ItemKey, out var id) && id is string value ? value : context.TraceIdentifier;

    /// <summary>A caller's id is kept only if it is short and printable, so it cannot forge log lines.</summary>
    private static string? Accept(string value) =>
        value.Length is > 0 and <= MaxLength && value.All(c => c is > ' ' and < (char)127) ? value : null;

    /// <summary>Scope state: key/values for structured sinks, one short text for the console.</summary>
    private sealed class RequestScope(string requestId, string? traceId) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        private readonly KeyValuePair<string, object?>[] _values = [new("RequestId", requestId), new("TraceId", traceId)];

        public int Count => _values.Length;
        public KeyValuePair<string, object?> this[int index] => _values[index];
        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)_values).GetEnumerator();
        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
        public override string ToString() => $"RequestId:{requestId} TraceId:{traceId}";
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "HTTP {Method} {Path} responded {StatusCode} in {ElapsedMs:0.0} ms")]
        public static partial void Request(ILogger logger, string method, string path, int statusCode, double elapsedMs);
    }
}
