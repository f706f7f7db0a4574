using System.Data.Common;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Baton.Server.Infrastructure.Errors;

/// <summary>
/// A request that failed because the database could not be reached (PostgreSQL restarting, the network
/// to it down, SQLite busy past its timeout) answers 503 with Retry-After, not 500: nothing was written
/// (every write is one transaction), the same request may simply be sent again, and clients and load
/// balancers treat a 503 that way. Any other database error is still a 500.
/// </summary>
internal sealed partial class DatabaseUnavailableExceptionHandler(IProblemDetailsService problems, ILogger<DatabaseUnavailableExceptionHandler> logger)
    : IExceptionHandler
{
    public const int RetryAfterSeconds = 2;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (Transient(exception) is not { } database)
        {
            return false;
        }
        LogUnavailable(httpContext.Request.Method, httpContext.Request.Path, database.Message);
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await problems.TryWriteAsync(new()
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Database unavailable",
                Detail = $"the database could not be reached, so nothing was changed; send the request again in {RetryAfterSeconds} s",
            },
        });
    }

    /// <summary>The transient database failure in <paramref name="exception"/> or its inner exceptions (EF wraps them), if any.</summary>
    internal static DbException? Transient(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is DbException { IsTransient: true } database)
            {
                return database;
            }
        }
        return null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {Path}: database unavailable, answered 503 ({Reason})")]
    private partial void LogUnavailable(string method, string path, string reason);
}
