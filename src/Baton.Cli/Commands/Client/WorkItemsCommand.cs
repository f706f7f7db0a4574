using System.CommandLine;
using Baton.Cli.Client;
using Baton.Cli.Output;
using Baton.Contracts.Paging;
using Baton.Server.Features.Recipes;
using Baton.Server.Features.WorkItems;
using Spectre.Console;

namespace Baton.Cli.Commands.Client;

/// <summary>`baton work-items list | show | create | recipe get | recipe set`.</summary>
internal static class WorkItemsCommand
{
    public static Command Create()
    {
        var limit = Paging.Limit();
        var showKey = Key();
        var title = new Option<string>("--title") { Description = "What the work item delivers, in one line", Required = true };
        var description = new Option<string?>("--description") { Description = "The details" };
        var requirements = new Option<string[]>("--requirement") { Description = "An approved requirement it implements (REQ-1; repeatable)", AllowMultipleArgumentsPerToken = false };
        var dependsOn = new Option<string[]>("--depends-on") { Description = "A work item that must succeed first (WI-1; repeatable)", AllowMultipleArgumentsPerToken = false };
        var labels = new Option<string[]>("--label") { Description = "An agent label its runs need (repeatable; default: the project's)", AllowMultipleArgumentsPerToken = false };
        var priority = new Option<int?>("--priority") { Description = "Higher runs first when the queue is full", HelpName = "N" };
        return ClientCommand.Group("work-items", "Work items: list, show, create, and their recipes",
            ClientCommand.Create("list", "List a project's work items in number order", (call, token) => ListAsync(call, call.Value(limit), token),
                project: true, limit),
            ClientCommand.Create("show", "Show a work item", (call, token) => ShowAsync(call, call.Value(showKey), token), project: true, showKey),
            ClientCommand.Create("create", "Create a work item", (call, token) => CreateAsync(call, new CreateWorkItemRequest
            {
                Title = call.Value(title),
                Description = call.Value(description),
                Requirements = NullIfEmpty(call.Value(requirements)),
                DependsOn = NullIfEmpty(call.Value(dependsOn)),
                Labels = NullIfEmpty(call.Value(labels)),
                Priority = call.Value(priority),
            }, token), project: true, title, description, requirements, dependsOn, labels, priority),
            RecipeGroup());
    }

    private static Command RecipeGroup()
    {
        var getKey = Key();
        var setKey = Key();
        var version = new Option<int?>("--version") { Description = "An earlier version (default: the current one)", HelpName = "N" };
        var file = new Argument<string>("file") { Description = "The recipe YAML (checked here first; errors name line:column)" };
        return ClientCommand.Group("recipe", "A work item's recipe: get, set",
            ClientCommand.Create("get", "Print the recipe's YAML as written (with -o json: its parsed form, version and hash)",
                (call, token) => GetRecipeAsync(call, call.Value(getKey), call.Value(version), token), project: true, getKey, version),
            ClientCommand.Create("set", "Check FILE and store it as the recipe (a new version when it changed)",
                (call, token) => SetRecipeAsync(call, call.Value(setKey), call.Value(file), token), project: true, setKey, file));
    }

    private static Argument<string> Key() => new("work-item") { Description = "Work item key (WI-1)" };

    private static string[]? NullIfEmpty(string[]? values) => values is { Length: > 0 } ? values : null;

    private static string ItemPath(ClientCall call, string key) => $"api/projects/{call.ProjectPath}/work-items/{BatonApi.Escape(key)}";

    private static async Task<int> ListAsync(ClientCall call, int limit, CancellationToken cancellationToken)
    {
        var page = await call.Api.GetAsync<Page<WorkItemDto>>($"api/projects/{call.ProjectPath}/work-items?limit={limit}", cancellationToken);
        call.Printer.Show(page, p => p.Items.Aggregate(Tables.Of("KEY", "TITLE", "PRIORITY", "DEPENDS ON", "REQUIREMENTS", "LABELS", "RECIPE"),
            (table, w) => table.Row(w.Key, w.Title, w.Priority, Tables.List(w.DependsOn), Tables.List(w.Requirements), Tables.List(w.Labels),
                w.RecipeVersion is { } v ? $"v{v}" : "none")));
        Paging.NoteMore(call, page);
        return ExitCodes.Success;
    }

    private static async Task<int> ShowAsync(ClientCall call, string key, CancellationToken cancellationToken)
    {
        var item = await call.Api.GetAsync<WorkItemDto>(ItemPath(call, key), cancellationToken);
        call.Printer.Show(item, Render);
        return ExitCodes.Success;
    }

    private static async Task<int> CreateAsync(ClientCall call, CreateWorkItemRequest request, CancellationToken cancellationToken)
    {
        var item = await call.Api.PostAsync<WorkItemDto>($"api/projects/{call.ProjectPath}/work-items", request, cancellationToken);
        call.Printer.Show(item, Render);
        return ExitCodes.Success;
    }

    private static async Task<int> GetRecipeAsync(ClientCall call, string key, int? version, CancellationToken cancellationToken)
    {
        var path = $"{ItemPath(call, key)}/recipe" + (version is { } n ? $"?version={n}" : "");
        if (call.Printer.Json)
        {
            call.Printer.WriteJson((await call.Api.GetAsync<RecipeDto>(path, cancellationToken)).Json);
        }
        else
        {
            Verbatim.Write(await call.Api.GetTextAsync(path, RecipesApi.YamlMediaType, cancellationToken));
        }
        return ExitCodes.Success;
    }

    /// <summary>Checks the file here, then stores it: the server answers 201 for a new version, 200 when the content is the current one.</summary>
    private static async Task<int> SetRecipeAsync(ClientCall call, string key, string path, CancellationToken cancellationToken)
    {
        var recipe = RecipeFile.Read(path);
        var stored = await call.Api.SendYamlAsync<RecipeDto>(HttpMethod.Put, $"{ItemPath(call, key)}/recipe", recipe.Yaml, cancellationToken);
        var created = stored.Status == System.Net.HttpStatusCode.Created;
        call.Printer.Show(stored, r => created
            ? $"{r.WorkItem}: recipe version {r.Version} stored ({r.Recipe.Steps.Count} steps, hash {r.ContentHash})."
            : $"{r.WorkItem}: unchanged, recipe version {r.Version} is already this file ({r.Recipe.Steps.Count} steps, hash {r.ContentHash}).");
        return ExitCodes.Success;
    }

    private static Grid Render(WorkItemDto w) => Tables.Fields(
        ("key", w.Key), ("title", w.Title), ("description", w.Description), ("priority", w.Priority),
        ("depends on", Tables.List(w.DependsOn)), ("requirements", Tables.List(w.Requirements)), ("labels", Tables.List(w.Labels)),
        ("concurrency", w.Concurrency is { } c ? $"group {c.Group}, at most {c.Limit} at once" : ""),
        ("retry", w.Retry is { } r ? $"exit codes {string.Join(", ", r.ExitCodes)}: up to {r.Attempts} more time(s), {r.DelaySeconds} s apart" : ""),
        ("recipe", w.RecipeVersion is { } v ? $"version {v}" : "none (baton work-items recipe set)"),
        ("created", $"{Tables.Time(w.CreatedAt)} by {w.CreatedBy}"), ("updated", Tables.Time(w.UpdatedAt)));
}
