using System.Globalization;
using System.Text;
using Baton.Persistence;
using Baton.Server.Features.Runs;
using Baton.Server.Infrastructure.Errors;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Baton.Server.Features.Logs;

/// <summary>
/// <c>GET /api/runs/{id}/logs/download</c>: the whole stored log as one text file, read and written a page at a
/// time, so a log of millions of lines costs the server one page of memory (the paged read stops at 10,000 lines).
/// </summary>
internal static class LogDownload
{
    private const int LinesPerRead = 5000;

    public static async Task<Results<EmptyHttpResult, ProblemHttpResult>> HandleAsync(long id, HttpContext context, BatonDbContext db,
        LogReader reader, CancellationToken cancellationToken)
    {
        var last = await db.Runs.AsNoTracking().Where(r => r.Id == id).Select(r => (long?)r.LogLines).SingleOrDefaultAsync(cancellationToken);
        if (last is null)
        {
            return RunCommands.NotFound(id).ToResult();
        }
        var response = context.Response;
        response.ContentType = "text/plain; charset=utf-8";
        response.Headers.ContentDisposition = $"attachment; filename=\"run-{id.ToString(CultureInfo.InvariantCulture)}.log\"";
        // The lines stored when the download began: a running run's later lines are for the live view or the next download.
        var cursor = 0L;
        var text = new StringBuilder();
        while (cursor < last)
        {
            var lines = await reader.ReadAsync(id, cursor, LinesPerRead, LogLineFilter.All, cancellationToken);
            if (lines.Count == 0)
            {
                break;
            }
            text.Clear();
            foreach (var line in lines.TakeWhile(l => l.N <= last))
            {
                text.Append(line.Text).Append('\n');
            }
            await response.WriteAsync(text.ToString(), cancellationToken);
            cursor = lines[^1].N;
        }
        return TypedResults.Empty;
    }
}
