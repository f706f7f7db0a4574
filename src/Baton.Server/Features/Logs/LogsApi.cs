using System.Text;
using Baton.Contracts.Agents;
using Baton.Core.Runs;
using Baton.Persistence;
using Baton.Server.Features.Runs;
using Baton.Server.Infrastructure.Errors;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Baton.Server.Features.Logs;

public static class LogsApi
{
    public const int DefaultLimit = 1000;
    public const int MaxLimit = 10_000;

    public static IEndpointRouteBuilder MapLogs(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/runs/{id:long}").WithTags("Logs");
        group.MapGet("/logs", Read).WithSummary("Read a run's log")
            .WithDescription("Lines after line `after` (default 0), at most `limit` (default 1000, max 10000), optionally one `step` "
                + "(zero-based) or `stream` (stdout, stderr, system). `format=text` (or Accept: text/plain) answers the text only; "
                + "`nextAfter` (header `Baton-Next-After` in text) continues.");
        group.Map("/logs/stream", LogStream.HandleAsync).WithSummary("Live log (WebSocket)")
            .WithDescription("Every stored line after `after`, then live lines, then an `end` message with the run's final status.");
        group.Map("/steps/stream", StepStream.HandleAsync).WithSummary("Live step changes (WebSocket)")
            .WithDescription("Every step, then each change, then an `end` message with the run's final status.");
        return routes;
    }

    private static async Task<Results<Ok<LogPage>, ContentHttpResult, ProblemHttpResult>> Read(long id, long? after, int? limit, int? step,
        string? stream, string? format, HttpRequest request, BatonDbContext db, LogReader reader, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (after is < 0)
        {
            errors.Add("after", "'after' is a line number (0 for the start)");
        }
        errors.Range("limit", limit, 1, MaxLimit);
        if (step is < 0)
        {
            errors.Add("step", "'step' is a zero-based step index");
        }
        LogSourceName? source = null;
        if (stream is not null)
        {
            if (!Enum.TryParse<LogSourceName>(stream, ignoreCase: true, out var parsed) || int.TryParse(stream, out _))
            {
                errors.Add("stream", $"'stream' must be stdout, stderr or system (got '{stream}')");
            }
            source = parsed;
        }
        var text = format is null
            ? request.Headers.Accept.Any(a => a?.Contains("text/plain", StringComparison.OrdinalIgnoreCase) == true)
            : string.Equals(format, "text", StringComparison.OrdinalIgnoreCase);
        if (format is not null && !text && !string.Equals(format, "json", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add("format", $"'format' must be json or text (got '{format}')");
        }
        if (errors.Any)
        {
            return errors.ToFailure().ToResult();
        }
        var run = await db.Runs.AsNoTracking().Where(r => r.Id == id).Select(r => new { r.Status, r.LogLines }).SingleOrDefaultAsync(cancellationToken);
        if (run is null)
        {
            return RunCommands.NotFound(id).ToResult();
        }
        var take = limit ?? DefaultLimit;
        var lines = await reader.ReadAsync(id, after ?? 0, take, step, source, cancellationToken);
        // Another page may follow while this one is full, or while the run can still write lines.
        long? next = lines.Count == take ? lines[^1].N
            : RunStateMachine.IsFinal(run.Status) ? null
            : Math.Max(lines.Count > 0 ? lines[^1].N : after ?? 0, run.LogLines);
        if (text)
        {
            if (next is { } position)
            {
                request.HttpContext.Response.Headers["Baton-Next-After"] = position.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            var body = new StringBuilder();
            foreach (var line in lines)
            {
                body.Append(line.Text).Append('\n');
            }
            return TypedResults.Text(body.ToString(), "text/plain; charset=utf-8");
        }
        return TypedResults.Ok(new LogPage(lines, next, run.Status, run.LogLines));
    }
}

/// <summary>A page of a run's log; <see cref="NextAfter"/> is null once the run has ended and everything was read.</summary>
public sealed record LogPage(IReadOnlyList<LogBatchLine> Items, long? NextAfter, RunStatus RunStatus, long TotalLines);
