using System.CommandLine;
using System.Globalization;
using Baton.Cli.Client;
using Baton.Cli.Follow;
using Baton.Server.Features.Logs;
using Baton.Server.Features.Runs;

namespace Baton.Cli.Commands.Client;

/// <summary>`baton logs RUN [--follow]`: a run's log as text (or JSON lines), live to the end with --follow.</summary>
internal static class LogsCommand
{
    public static Command Create()
    {
        var run = new Argument<long>("run") { Description = "Run id" };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new lines until the run ends; exit with its outcome" };
        var step = new Option<int?>("--step") { Description = "Only this step's lines (1 is the first step)" };
        step.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is < 1)
            {
                result.AddError("--step counts from 1");
            }
        });
        return ClientCommand.Create("logs", "Print a run's log; --follow tails it live", async (call, token) =>
        {
            var id = call.Value(run);
            if (call.Value(follow))
            {
                if (call.Value(step) is not null)
                {
                    throw new CliException(ExitCodes.Usage, "--step and --follow do not go together: --follow shows every step");
                }
                var current = await call.Api.GetAsync<RunDto>($"api/runs/{id}", token);
                return await new RunFollower(call, logOnly: true).FollowAsync(current.Value, token);
            }
            return await PrintAsync(call, id, call.Value(step) - 1, token);
        }, symbols: [run, follow, step]);
    }

    /// <summary>Every stored line, page by page (the API's pages hold up to 10,000 lines); JSON mode prints the lines as one array.</summary>
    private static async Task<int> PrintAsync(ClientCall call, long run, int? stepIndex, CancellationToken cancellationToken)
    {
        var after = 0L;
        var all = new List<System.Text.Json.JsonElement>();
        while (true)
        {
            var path = string.Create(CultureInfo.InvariantCulture, $"api/runs/{run}/logs?after={after}&limit={LogsApi.MaxLimit}")
                + (stepIndex is { } index ? string.Create(CultureInfo.InvariantCulture, $"&step={index}") : "");
            var page = await call.Api.GetAsync<LogPage>(path, cancellationToken);
            if (call.Printer.Json)
            {
                all.AddRange(page.Json.GetProperty("items").EnumerateArray().Select(e => e.Clone()));
            }
            else
            {
                foreach (var line in page.Value.Items)
                {
                    Console.Out.WriteLine(line.Text);
                }
            }
            if (page.Value.NextAfter is not { } next)
            {
                break;
            }
            after = next;
        }
        if (call.Printer.Json)
        {
            call.Printer.WriteJson(all);
        }
        return ExitCodes.Success;
    }
}
