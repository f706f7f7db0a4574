using System.CommandLine;
using Baton.Cli.Client;
using Baton.Cli.Follow;
using Baton.Server.Features.Runs;
using Spectre.Console;

namespace Baton.Cli.Commands.Client;

/// <summary>`baton run WI` and `baton exec FILE`: start a run, and with --follow watch it to its end and exit with its outcome.</summary>
internal static class StartRunCommands
{
    public static Command Run()
    {
        var workItem = new Argument<string>("work-item") { Description = "Work item key (WI-1)" };
        var follow = Follow();
        var priority = Priority();
        return ClientCommand.Create("run", "Start a run of a work item's current recipe", async (call, token) =>
        {
            var created = await call.Api.PostAsync<RunDto>($"api/projects/{call.ProjectPath}/work-items/{BatonApi.Escape(call.Value(workItem))}/runs",
                new CreateRunRequest { Priority = call.Value(priority) }, token);
            return await StartedAsync(call, created, call.Value(follow), token);
        }, project: true, symbols: [workItem, follow, priority]);
    }

    public static Command Exec()
    {
        var file = new Argument<string>("file") { Description = "Recipe YAML file (checked here first: errors name line and column)" };
        var follow = Follow();
        var priority = Priority();
        var labels = new Option<string[]>("--label") { Description = "Run on agents with this label (repeatable; default: the project's labels)" };
        return ClientCommand.Create("exec", "Run a recipe file once, ad hoc, under a project's policy and secrets", async (call, token) =>
        {
            var recipe = RecipeFile.Read(call.Value(file));
            var query = string.Join('&', (call.Value(labels) ?? []).Select(l => $"label={BatonApi.Escape(l)}")
                .Concat(call.Value(priority) is { } p ? [$"priority={p}"] : []));
            var created = await call.Api.SendYamlAsync<RunDto>(HttpMethod.Post,
                $"api/projects/{call.ProjectPath}/exec" + (query.Length > 0 ? "?" + query : ""), recipe.Yaml, token);
            return await StartedAsync(call, created, call.Value(follow), token);
        }, project: true, symbols: [file, follow, priority, labels]);
    }

    private static Option<bool> Follow() => new("--follow", "-f")
    {
        Description = "Show the steps and log live until the run ends; exit 0 if it succeeded, else 1 failed, 3 cancelled, 4 timed out",
    };

    private static Option<int?> Priority() => new("--priority") { Description = "Higher runs sooner (-1000 to 1000; default: the work item's)" };

    private static async Task<int> StartedAsync(ClientCall call, ApiResult<RunDto> created, bool follow, CancellationToken cancellationToken)
    {
        var run = created.Value;
        if (follow)
        {
            return await new RunFollower(call).FollowAsync(run, cancellationToken);
        }
        RunsCommand.Show(call, created);
        call.Printer.Note(Markup.Escape($"follow it: baton logs {run.Id} --follow"));
        return ExitCodes.Success;
    }
}
