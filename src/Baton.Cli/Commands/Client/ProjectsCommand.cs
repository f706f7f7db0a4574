using System.CommandLine;
using Baton.Cli.Client;
using Baton.Cli.Output;
using Baton.Contracts.Paging;
using Baton.Server.Features.Projects;

namespace Baton.Cli.Commands.Client;

/// <summary>`baton projects list | show | create`.</summary>
internal static class ProjectsCommand
{
    public static Command Create()
    {
        var key = new Argument<string>("key") { Description = "Project key (letters, digits, '-')" };
        var showKey = new Argument<string>("key") { Description = "Project key" };
        var name = new Option<string>("--name") { Description = "Display name", Required = true };
        var description = new Option<string?>("--description") { Description = "What the project is for" };
        var approvals = new Option<int?>("--approvals") { Description = "Runs need this many approvals before they start (0: none)" };
        var labels = new Option<string[]>("--label") { Description = "Default agent label for runs (repeatable)", AllowMultipleArgumentsPerToken = false };
        var limit = Paging.Limit();
        return ClientCommand.Group("projects", "Projects: list, show, create",
            ClientCommand.Create("list", "List projects", (call, token) => ListAsync(call, call.Value(limit), token), symbols: limit),
            ClientCommand.Create("show", "Show a project and its policy", (call, token) => ShowAsync(call, call.Value(showKey), token), symbols: showKey),
            ClientCommand.Create("create", "Create a project", (call, token) => CreateAsync(call, new CreateProjectRequest
            {
                Key = call.Value(key),
                Name = call.Value(name),
                Description = call.Value(description),
                Policy = Policy(call.Value(approvals), call.Value(labels)),
            }, token), symbols: [key, name, description, approvals, labels]));
    }

    private static PolicyInput? Policy(int? approvals, string[]? labels) => approvals is null && labels is not { Length: > 0 }
        ? null
        : new PolicyInput
        {
            RunApprovalRequired = approvals is null ? null : approvals > 0,
            RequiredApprovals = approvals is > 0 ? approvals : null,
            DefaultLabels = labels is { Length: > 0 } ? labels : null,
        };

    private static async Task<int> ListAsync(ClientCall call, int limit, CancellationToken cancellationToken)
    {
        var page = await call.Api.GetAsync<Page<ProjectDto>>($"api/projects?limit={limit}", cancellationToken);
        call.Printer.Show(page, p => p.Items.Aggregate(Tables.Of("KEY", "NAME", "APPROVALS", "LABELS", "CREATED"), (table, project) => table.Row(
            project.Key, project.Name, project.Policy.RunApprovalRequired ? project.Policy.RequiredApprovals : 0,
            Tables.List(project.Policy.DefaultLabels), Tables.Time(project.CreatedAt))));
        Paging.NoteMore(call, page);
        return ExitCodes.Success;
    }

    private static async Task<int> ShowAsync(ClientCall call, string key, CancellationToken cancellationToken)
    {
        var project = await call.Api.GetAsync<ProjectDto>($"api/projects/{BatonApi.Escape(key)}", cancellationToken);
        call.Printer.Show(project, Render);
        return ExitCodes.Success;
    }

    private static async Task<int> CreateAsync(ClientCall call, CreateProjectRequest request, CancellationToken cancellationToken)
    {
        var project = await call.Api.PostAsync<ProjectDto>("api/projects", request, cancellationToken);
        call.Printer.Show(project, Render);
        return ExitCodes.Success;
    }

    private static Spectre.Console.Grid Render(ProjectDto p) => Tables.Fields(
        ("key", p.Key), ("name", p.Name), ("description", p.Description),
        ("approvals", p.Policy.RunApprovalRequired ? $"{p.Policy.RequiredApprovals} required" + (p.Policy.SelfApprovalAllowed ? ", self-approval allowed" : "") : "not required"),
        ("default labels", Tables.List(p.Policy.DefaultLabels)), ("max attempts", p.Policy.MaxRunAttempts),
        ("created", $"{Tables.Time(p.CreatedAt)} by {p.CreatedBy}"));
}
