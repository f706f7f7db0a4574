using System.Text.Json;
using System.Text.RegularExpressions;
using Baton.Server.Infrastructure.Requests;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Baton.Server.Infrastructure.Errors;

/// <summary>
/// Turns unreadable requests (malformed JSON, wrong types, missing or unknown fields,
/// unbindable route or query values) into 400 ProblemDetails that name the field, instead
/// of the framework's bare 400 or a 500.
/// </summary>
internal sealed partial class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException badRequest)
        {
            return false;
        }
        var status = badRequest.StatusCode is >= 400 and < 500 ? badRequest.StatusCode : StatusCodes.Status400BadRequest;
        httpContext.Response.StatusCode = status;
        var (detail, field) = Describe(badRequest);
        var problem = new ProblemDetails
        {
            Status = status,
            Title = status == StatusCodes.Status413PayloadTooLarge ? "Request too large" : "Invalid request",
            Detail = detail,
        };
        if (field is not null)
        {
            problem.Extensions["field"] = field;
        }
        return await problems.TryWriteAsync(new() { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    private static (string Detail, string? Field) Describe(BadHttpRequestException exception)
    {
        if (exception.InnerException is not JsonException json)
        {
            if (exception.Message.StartsWith("Implicit body inferred", StringComparison.Ordinal)
                || exception.Message.StartsWith("Required parameter", StringComparison.Ordinal) && exception.Message.Contains("body", StringComparison.Ordinal))
            {
                return ("this request needs a JSON body", null);
            }
            // e.g. 'Failed to bind parameter "Nullable<int> Limit" from "abc".'
            var parameter = ParameterBinding().Match(exception.Message);
            if (!parameter.Success)
            {
                return (exception.Message, null);
            }
            var name = JsonNamingPolicy.CamelCase.ConvertName(parameter.Groups["name"].Value);
            return ($"'{name}' has an invalid value '{parameter.Groups["value"].Value}'", name);
        }
        var path = json.Path is { Length: > 1 } p ? p : null;
        var unknown = UnknownMember().Match(json.Message);
        if (unknown.Success)
        {
            var name = unknown.Groups["name"].Value;
            return ($"unknown field '{name}'{At(path)}", name);
        }
        if (new[] { RequestTextConverters.NulMessage, RequestTextConverters.NullItemMessage }
            .FirstOrDefault(rule => json.Message.StartsWith(rule, StringComparison.Ordinal)) is { } rule)
        {
            return ($"{rule}{At(path)}", FieldOf(path));
        }
        var missing = MissingMembers().Match(json.Message);
        if (missing.Success)
        {
            return ($"missing required field(s): {missing.Groups["names"].Value}", missing.Groups["names"].Value.Trim('\''));
        }
        var converted = ConversionTarget().Match(json.Message);
        if (path is null && converted.Success && json.InnerException is not JsonException)
        {
            return ("the body must be a JSON object", null);
        }
        // The reader's own exception inside means the text is not JSON at all (not a wrong type).
        if (json.InnerException is JsonException || (path is null && json.BytePositionInLine is not null))
        {
            return ($"malformed JSON at line {json.LineNumber + 1}, position {json.BytePositionInLine + 1}", null);
        }
        var expected = converted.Success ? $": expected {Friendly(converted.Groups["type"].Value)}" : "";
        return (path is null ? "the request body is not valid JSON" : $"invalid value{At(path)}{expected}", FieldOf(path));
    }

    /// <summary>$.labels[0] names the field labels[0]; a list's own path names the list.</summary>
    private static string? FieldOf(string? path) => path?.TrimStart('$', '.');

    private static string At(string? path) => path is null ? "" : $" at {path}";

    private static string Friendly(string clrType) => clrType switch
    {
        var t when t.Contains("Int", StringComparison.Ordinal) => "an integer",
        var t when t.Contains("Boolean", StringComparison.Ordinal) => "true or false",
        var t when t.Contains("String", StringComparison.Ordinal) && !t.Contains('[', StringComparison.Ordinal) => "a string",
        var t when t.Contains("DateTimeOffset", StringComparison.Ordinal) => "an ISO 8601 date-time",
        var t when t.Contains("List", StringComparison.Ordinal) || t.Contains("[]", StringComparison.Ordinal) => "an array",
        _ => "a value of another type",
    };

    [GeneratedRegex("The JSON property '(?<name>[^']+)' could not be mapped")]
    private static partial Regex UnknownMember();

    [GeneratedRegex("missing required properties including: (?<names>.+?)\\.?$")]
    private static partial Regex MissingMembers();

    [GeneratedRegex("could not be converted to (?<type>[^ .]+(\\.[^ .]+)*)")]
    private static partial Regex ConversionTarget();

    [GeneratedRegex("parameter \"[^\"]*? (?<name>[A-Za-z0-9_]+)\" from \"(?<value>.*)\"")]
    private static partial Regex ParameterBinding();
}
