using System.Text;
using Baton.Contracts.Agents;
using Baton.Core.Runs;
using Baton.Persistence;
using Baton.Server.Features.Runs;
using Baton.Contracts.Paging;
using Baton.Core.Logs;
using Baton.Server.Features.Projects;
using Baton.Server.Infrastructure.Errors;
using Baton.Server.Infrastructure.Paging;
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
            .WithDescription("Lines after line `after` (default 0), at most `limit` (default 1000, max 10000), optionally only one `step` "
                + "(zero-based) or `stream` (stdout, stderr, system), lines from `since` and before `until` (their timestamps), and lines "
                + "holding every word of `q` (whole words, any case). `format=text` (or Accept: text/plain) answers the text only; "
                + "`nextAfter` (header `Baton-Next-After` in text) continues.");
        group.MapGet("/logs/download", LogDownload.HandleAsync).WithSummary("Download a run's whole log")
            .WithDescription("Every line stored so far, as one text file (`run-{id}.log`), however long the log.")
            .Produces(StatusCodes.Status200OK, contentType: "text/plain");
        routes.MapGet("/api/logs/search", Search).WithTags("Logs").WithSummary("Search every run's log")
            .WithDescription("Lines holding every word of `q` (whole words, any case; full-text indexed), newest run first and in line order "
                + "within a run, each with its run, step and line number; only runs of `project`, only lines from `since`. Paginated "
                + "(`limit`, `cursor`): lines stored meanwhile never shift a page.");
        group.Map("/logs/stream", LogStream.HandleAsync).WithSummary("Live log (WebSocket)")
            .WithDescription("Every stored line after `after`, then live lines, then an `end` message with the run's final status.");
        group.Map("/steps/stream", StepStream.HandleAsync).WithSummary("Live step changes (WebSocket)")
            .WithDescription("Every step, then each change, then an `end` message with the run's final status.");
        return routes;
    }

    private static async Task<Results<Ok<LogPage>, ContentHttpResult, ProblemHttpResult>> Read(long id, long? after, int? limit, int? step,
        string? stream, DateTimeOffset? since, DateTimeOffset? until, string? q, string? format, HttpRequest request, BatonDbContext db,
        LogReader reader, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var words = q is null ? null : Words(errors, q);
        errors.TimeRange(since, until);
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
        var lines = await reader.ReadAsync(id, after ?? 0, take, new LogLineFilter(step, source, since, until, words), cancellationToken);
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

    private static async Task<Results<Ok<Page<LogSearchHit>>, ProblemHttpResult>> Search(string? q, string? project, DateTimeOffset? since,
        [AsParameters] PageQuery query, BatonDbContext db, LogSearcher searcher, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var words = q is null ? [] : Words(errors, q);
        if (q is null || (words.Count == 0 && !errors.Any))
        {
            errors.Add("q", "'q' needs at least one word (letters or digits) to search for");
        }
        if (query.Limit is < 1)
        {
            errors.Add("limit", $"'limit' must be between 1 and {PageQuery.MaxLimit}");
        }
        var after = LogPosition.Start;
        if (query.Cursor is not null && !SearchCursor.TryDecode(query.Cursor, out after))
        {
            errors.Add("cursor", "'cursor' is not a cursor this server handed out");
        }
        if (errors.Any)
        {
            return errors.ToFailure().ToResult();
        }
        long? projectId = null;
        if (project is not null)
        {
            var found = await db.FindIdAsync(project, cancellationToken);
            if (found.Failure is { } missing)
            {
                return missing.ToResult();
            }
            projectId = found.Value;
        }
        // Larger limits are capped, as in every list.
        var page = await searcher.SearchAsync(words, projectId, since, after, Math.Min(query.Limit ?? PageQuery.DefaultLimit, PageQuery.MaxLimit),
            cancellationToken);
        return TypedResults.Ok(new Page<LogSearchHit>(page.Hits, page.Next is { } next ? SearchCursor.Encode(next) : null));
    }

    /// <summary>The words of a query, refused when there are too many or the query is too long.</summary>
    private static List<string> Words(FieldErrors errors, string q)
    {
        var words = LogWords.Of(q).Distinct(StringComparer.Ordinal).ToList();
        if (q.Length > LogWords.MaxQueryLength || words.Count > LogWords.MaxWords)
        {
            errors.Add("q", $"at most {LogWords.MaxWords} words and {LogWords.MaxQueryLength} characters");
        }
        return words;
    }
}

/// <summary>A page of a run's log; <see cref="NextAfter"/> is null once the run has ended and everything was read.</summary>
public sealed record LogPage(IReadOnlyList<LogBatchLine> Items, long? NextAfter, RunStatus RunStatus, long TotalLines);
