using System.CommandLine;
using Baton.Cli.Client;
using Baton.Cli.Output;
using Baton.Contracts.Paging;
using Baton.Server.Features.Runs;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Baton.Cli.Commands.Client;

/// <summary>`baton runs list | show | cancel | approve | reject`.</summary>
internal static class RunsCommand
{
    private static readonly string[] Statuses =
        ["pending_approval", "queued", "running", "succeeded", "failed", "timed_out", "cancelled", "lost", "blocked", "skipped"];

    public static Command Create()
    {
        var workItem = new Option<string?>("--work-item") { Description = "Only this work item's runs (with --project)", HelpName = "WI" };
        var status = new Option<string?>("--status") { Description = "Only runs in this status (pending_approval, queued, running, succeeded, failed, timed_out, cancelled, lost, blocked, skipped)", HelpName = "STATUS" };
        status.AcceptOnlyFromAmong(Statuses);
        var limit = Paging.Limit();
        var comment = new Option<string?>("--comment") { Description = "Why (kept with the approval)" };
        var reason = new Option<string>("--reason") { Description = "Why (required; the requester sees it)", Required = true };
        Argument<long> Run() => new("run") { Description = "Run id" };
        var show = Run();
        var cancel = Run();
        var approve = Run();
        var reject = Run();
        return ClientCommand.Group("runs", "Runs: list, show, cancel, approve, reject",
            ClientCommand.Create("list", "List runs, newest first",
                (call, token) => ListAsync(call, call.Value(workItem), call.Value(status), call.Value(limit), token),
                project: true, symbols: [workItem, status, limit]),
            ClientCommand.Create("show", "Show a run: status, times, steps, and why it waits",
                async (call, token) => Show(call, await call.Api.GetAsync<RunDto>($"api/runs/{call.Value(show)}", token)), symbols: show),
            ClientCommand.Create("cancel", "Cancel a run (a running one is stopped by its agent)",
                async (call, token) => Show(call, await call.Api.PostAsync<RunDto>($"api/runs/{call.Value(cancel)}/cancel", null, token)),
                symbols: cancel),
            ClientCommand.Create("approve", "Approve a run waiting for approval",
                async (call, token) => Show(call, await call.Api.PostAsync<RunDto>($"api/runs/{call.Value(approve)}/approve",
                    new ApproveRunRequest { Comment = call.Value(comment) }, token)), symbols: [approve, comment]),
            ClientCommand.Create("reject", "Reject a run waiting for approval (it ends cancelled)",
                async (call, token) => Show(call, await call.Api.PostAsync<RunDto>($"api/runs/{call.Value(reject)}/reject",
                    new RejectRunRequest { Reason = call.Value(reason) }, token)), symbols: [reject, reason]));
    }

    private static async Task<int> ListAsync(ClientCall call, string? workItem, string? status, int limit, CancellationToken cancellationToken)
    {
        var query = new List<string> { $"limit={limit}" };
        // A work item is a key within a project, so it needs one; without it, the project (when known) narrows the list.
        if ((workItem is null ? call.Settings.Project : call.Settings.RequireProject()) is { } project)
        {
            query.Add($"project={BatonApi.Escape(project)}");
        }
        if (workItem is not null)
        {
            query.Add($"workItem={BatonApi.Escape(workItem)}");
        }
        if (status is not null)
        {
            query.Add($"status={status}");
        }
        var page = await call.Api.GetAsync<Page<RunSummaryDto>>($"api/runs?{string.Join('&', query)}", cancellationToken);
        call.Printer.Show(page, p => p.Items.Aggregate(Tables.Of("ID", "PROJECT", "WORK ITEM", "#", "STATUS", "TRIGGER", "BY", "CREATED", "TIME"),
            (table, run) => table.Row(run.Id, run.Project, run.WorkItem, run.Number, Tables.Status(run.Status), Tables.Wire(run.Trigger),
                run.RequestedBy, Tables.Time(run.CreatedAt), Tables.Duration(run.DurationSeconds))));
        Paging.NoteMore(call, page);
        return ExitCodes.Success;
    }

    public static int Show(ClientCall call, ApiResult<RunDto> run)
    {
        ArgumentNullException.ThrowIfNull(call);
        call.Printer.Show(run, Render);
        return ExitCodes.Success;
    }

    public static IRenderable Render(RunDto run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var fields = Tables.Fields(
            ("run", $"{run.Id}  ({run.Project}/{run.WorkItem} #{run.Number}, attempt {run.Attempt} of {run.MaxAttempts})"),
            ("status", Tables.Status(run.Status)),
            ("why", run.WaitingReason ?? run.StatusReason),
            ("trigger", $"{Tables.Wire(run.Trigger)} by {run.RequestedBy}"),
            ("recipe", $"v{run.RecipeVersion} {run.RecipeHash}"),
            ("labels", Tables.List(run.Labels)),
            ("agent", run.Agent),
            ("created", Tables.Time(run.CreatedAt)),
            ("started", Tables.Time(run.StartedAt)),
            ("finished", Tables.Time(run.FinishedAt)),
            ("duration", Tables.Duration(run.DurationSeconds)),
            ("exit code", run.ExitCode),
            ("approval", run.Approval is { } approval ? $"{approval.Approvals} of {approval.Required}, {Tables.Wire(approval.Outcome)}" : null),
            ("log lines", run.LogLines),
            ("trace", run.TraceId));
        var steps = run.Steps.Aggregate(Tables.Of("#", "STEP", "STATUS", "ATTEMPT", "EXIT", "TIME"), (table, step) => table.Row(
            step.Index + 1, step.Name, Tables.Status(step.Status), step.Attempt, step.ExitCode, Tables.Duration(step.DurationSeconds)));
        return new Rows(fields, steps);
    }
}
