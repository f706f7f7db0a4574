using System.CommandLine;
using Baton.Cli.Client;
using Baton.Cli.Output;
using Baton.Contracts.Paging;
using Baton.Core.Requirements;
using Baton.Server.Features.Requirements;
using Spectre.Console;

namespace Baton.Cli.Commands.Client;

/// <summary>`baton requirements list | show | propose | approve | reject`.</summary>
internal static class RequirementsCommand
{
    public static Command Create()
    {
        var status = new Option<string?>("--status") { Description = "Only requirements in this status" };
        status.AcceptOnlyFromAmong([.. Enum.GetValues<RequirementStatus>().Select(s => Tables.Wire(s))]);
        var limit = Paging.Limit();
        var showKey = Key();
        var approveKey = Key();
        var rejectKey = Key();
        var title = new Option<string>("--title") { Description = "What is required, in one line", Required = true };
        var description = new Option<string?>("--description") { Description = "The details" };
        var criteria = new Option<string[]>("--criterion") { Description = "An acceptance criterion (repeatable)", AllowMultipleArgumentsPerToken = false };
        var comment = new Option<string?>("--comment") { Description = "Why it is approved (kept with the decision)" };
        var reason = new Option<string>("--reason") { Description = "Why it is rejected", Required = true };
        return ClientCommand.Group("requirements", "Requirements: list, show, propose, approve, reject",
            ClientCommand.Create("list", "List a project's requirements in number order",
                (call, token) => ListAsync(call, call.Value(status), call.Value(limit), token), project: true, status, limit),
            ClientCommand.Create("show", "Show a requirement", (call, token) => ShowAsync(call, call.Value(showKey), token),
                project: true, showKey),
            ClientCommand.Create("propose", "Propose a requirement (it waits for approval)", (call, token) => ProposeAsync(call, new ProposeRequirementRequest
            {
                Title = call.Value(title),
                Description = call.Value(description),
                AcceptanceCriteria = call.Value(criteria) is { Length: > 0 } given ? given : null,
            }, token), project: true, title, description, criteria),
            ClientCommand.Create("approve", "Approve a proposed requirement", (call, token) => DecideAsync(call, call.Value(approveKey),
                "approve", new ApproveRequirementRequest { Comment = call.Value(comment) }, token), project: true, approveKey, comment),
            ClientCommand.Create("reject", "Reject a proposed requirement", (call, token) => DecideAsync(call, call.Value(rejectKey),
                "reject", new RejectRequirementRequest { Reason = call.Value(reason) }, token), project: true, rejectKey, reason));
    }

    private static Argument<string> Key() => new("requirement") { Description = "Requirement key (REQ-1)" };

    private static async Task<int> ListAsync(ClientCall call, string? status, int limit, CancellationToken cancellationToken)
    {
        var filter = status is null ? "" : $"&status={BatonApi.Escape(status)}";
        var page = await call.Api.GetAsync<Page<RequirementDto>>($"api/projects/{call.ProjectPath}/requirements?limit={limit}{filter}", cancellationToken);
        call.Printer.Show(page, p => p.Items.Aggregate(Tables.Of("KEY", "STATUS", "TITLE", "VISION", "PROPOSED", "DECIDED"), (table, r) => table.Row(
            r.Key, Status(r.Status), r.Title, r.VisionVersion, $"{Tables.Time(r.ProposedAt)} by {r.ProposedBy}",
            r.DecidedBy is null ? "" : $"{Tables.Time(r.DecidedAt)} by {r.DecidedBy}")));
        Paging.NoteMore(call, page);
        return ExitCodes.Success;
    }

    private static async Task<int> ProposeAsync(ClientCall call, ProposeRequirementRequest request, CancellationToken cancellationToken)
    {
        var requirement = await call.Api.PostAsync<RequirementDto>($"api/projects/{call.ProjectPath}/requirements", request, cancellationToken);
        call.Printer.Show(requirement, Render);
        return ExitCodes.Success;
    }

    private static async Task<int> ShowAsync(ClientCall call, string key, CancellationToken cancellationToken)
    {
        var requirement = await call.Api.GetAsync<RequirementDto>(Path(call, key), cancellationToken);
        call.Printer.Show(requirement, Render);
        return ExitCodes.Success;
    }

    /// <summary>Approves or rejects (<paramref name="verb"/>) and shows the requirement as decided; a decided one answers 409 (exit 2).</summary>
    private static async Task<int> DecideAsync(ClientCall call, string key, string verb, object body, CancellationToken cancellationToken)
    {
        var requirement = await call.Api.PostAsync<RequirementDto>($"{Path(call, key)}/{verb}", body, cancellationToken);
        call.Printer.Show(requirement, Render);
        return ExitCodes.Success;
    }

    private static string Path(ClientCall call, string key) => $"api/projects/{call.ProjectPath}/requirements/{BatonApi.Escape(key)}";

    private static Grid Render(RequirementDto r) => Tables.Fields(
        ("key", r.Key), ("title", r.Title), ("status", Status(r.Status)), ("description", r.Description),
        ("acceptance criteria", string.Join("\n", r.AcceptanceCriteria.Select(c => "- " + c))),
        ("vision version", r.VisionVersion),
        ("proposed", $"{Tables.Time(r.ProposedAt)} by {r.ProposedBy}"),
        ("decided", r.DecidedBy is null ? "" : $"{Tables.Time(r.DecidedAt)} by {r.DecidedBy}"),
        ("reason", r.DecisionReason));

    private static Text Status(RequirementStatus status) => new(Tables.Wire(status), new Style(status switch
    {
        RequirementStatus.Approved => Color.Green,
        RequirementStatus.Rejected => Color.Red,
        RequirementStatus.Proposed => Color.Yellow,
        _ => Color.Grey,
    }));
}
