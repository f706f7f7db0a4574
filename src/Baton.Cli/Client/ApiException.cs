using System.Net;
using System.Text;
using System.Text.Json;

namespace Baton.Cli.Client;

/// <summary>A non-success answer, told the way the server's ProblemDetails put it: title, detail, and each field's errors.</summary>
internal sealed class ApiException(HttpStatusCode status, string message) : CliException(ExitCodeFor(status), message)
{
    public HttpStatusCode Status { get; } = status;

    public static ApiException From(HttpStatusCode status, string body)
    {
        var text = new StringBuilder();
        try
        {
            using var problem = JsonDocument.Parse(body);
            var root = problem.RootElement;
            text.Append(root.TryGetProperty("title", out var title) ? title.GetString() : status.ToString());
            if (root.TryGetProperty("detail", out var detail) && detail.GetString() is { Length: > 0 } details)
            {
                text.Append(": ").Append(details);
            }
            if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
            {
                foreach (var field in errors.EnumerateObject())
                {
                    foreach (var error in field.Value.EnumerateArray())
                    {
                        text.Append('\n').Append("  ").Append(field.Name).Append(": ").Append(error.GetString());
                    }
                }
            }
        }
        catch (JsonException)
        {
            text.Append((int)status).Append(' ').Append(status).Append(body.Length > 0 ? ": " + body.Trim() : "");
        }
        return new ApiException(status, text.ToString());
    }

    private static int ExitCodeFor(HttpStatusCode status) => status switch
    {
        HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => ExitCodes.NotAllowed,
        >= HttpStatusCode.InternalServerError or HttpStatusCode.TooManyRequests => ExitCodes.ServerUnavailable,
        _ => ExitCodes.Usage,
    };
}
