using System.CommandLine;
using System.Globalization;
using Baton.Cli.Client;
using Baton.Cli.Output;
using Baton.Core.Plans;
using Baton.Server.Features.Plans;
using Spectre.Console;

namespace Baton.Cli.Commands.Client;

/// <summary>
/// `baton plans create | show | rerun-failed`. With <c>--follow</c> the command stays until the plan ends and exits with
/// its outcome: 0 succeeded, 1 failed, 3 cancelled.
/// </summary>
internal static class PlansCommand
{
    /// <summary>How often --follow asks for the plan again; a plan's items take seconds to minutes, so once a second is live enough.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    public static Command Create()
    {
        var workItems = new Option<string[]>("--work-item")
        {
            Description = "A work item to run, with everything it depends on (repeatable; default: all of the project's)",
            AllowMultipleArgumentsPerToken = false,
        };
        var priority = new Option<int?>("--priority") { Description = "Added to each item's priority", HelpName = "N" };
        var createFollow = Follow();
        var showId = Id();
        var showFollow = Follow();
        var rerunId = Id();
        var rerunFollow = Follow();
        return ClientCommand.Group("plans", "Plans: run work items in dependency order",
            ClientCommand.Create("create", "Plan work items (and what they depend on) of a project",
                async (call, token) => await AnswerAsync(call, await call.Api.PostAsync<PlanDto>($"api/projects/{call.ProjectPath}/plans",
                    new CreatePlanRequest { WorkItems = call.Value(workItems) is { Length: > 0 } given ? given : null, Priority = call.Value(priority) },
                    token), call.Value(createFollow), token),
                project: true, workItems, priority, createFollow),
            ClientCommand.Create("show", "Show a plan's items: their state, run, and why they wait",
                async (call, token) => await AnswerAsync(call, await call.Api.GetAsync<PlanDto>(PlanPath(call.Value(showId)), token),
                    call.Value(showFollow), token),
                symbols: [showId, showFollow]),
            ClientCommand.Create("rerun-failed", "Queue an ended plan's failed, cancelled and skipped items again",
                async (call, token) => await AnswerAsync(call, await call.Api.PostAsync<PlanDto>($"{PlanPath(call.Value(rerunId))}/rerun-failed", null,
                    token), call.Value(rerunFollow), token),
                symbols: [rerunId, rerunFollow]));
    }

    private static Argument<long> Id() => new("plan") { Description = "Plan id" };

    private static Option<bool> Follow() => new("--follow", "-f") { Description = "Show the items' progress live until the plan ends; exit 0 succeeded, 1 failed, 3 cancelled" };

    private static string PlanPath(long id) => $"api/plans/{id.ToString(CultureInfo.InvariantCulture)}";

    private static async Task<int> AnswerAsync(ClientCall call, ApiResult<PlanDto> plan, bool follow, CancellationToken cancellationToken)
    {
        if (!follow)
        {
            call.Printer.Show(plan, Render);
            return ExitCodes.Success;
        }
        // Ctrl-C ends the process here (System.CommandLine's termination handling is off for baton up and agent); the plan goes on.
        var ended = call.Printer.Json || Console.IsOutputRedirected
            ? await FollowLinesAsync(call, plan, cancellationToken)
            : await FollowLiveAsync(call, plan, cancellationToken);
        if (call.Printer.Json)
        {
            call.Printer.WriteJson(ended.Json);
        }
        else
        {
            call.Printer.Line(Summary(ended.Value));
        }
        return ended.Value.Status switch
        {
            PlanStatus.Succeeded => ExitCodes.Success,
            PlanStatus.Cancelled => ExitCodes.RunCancelled,
            _ => ExitCodes.RunFailed,
        };
    }

    /// <summary>On a terminal: the plan's table, redrawn in place after each poll.</summary>
    private static async Task<ApiResult<PlanDto>> FollowLiveAsync(ClientCall call, ApiResult<PlanDto> plan, CancellationToken cancellationToken)
    {
        var ended = plan;
        await call.Printer.Console.Live(Render(plan.Value)).AutoClear(false).StartAsync(async context =>
            ended = await PollAsync(call, plan, current =>
            {
                context.UpdateTarget(Render(current));
                context.Refresh();
            }, cancellationToken));
        return ended;
    }

    /// <summary>Into a file or pipe (or with -o json, on stderr): one line each time an item's state or run changes.</summary>
    private static Task<ApiResult<PlanDto>> FollowLinesAsync(ClientCall call, ApiResult<PlanDto> plan, CancellationToken cancellationToken)
    {
        var seen = new Dictionary<string, string>();
        return PollAsync(call, plan, current =>
        {
            foreach (var item in current.Items)
            {
                var state = ItemLine(item);
                if (seen.TryGetValue(item.WorkItem, out var before) && before == state)
                {
                    continue;
                }
                seen[item.WorkItem] = state;
                if (call.Printer.Json)
                {
                    call.Printer.Note(Markup.Escape(state));
                }
                else
                {
                    call.Printer.Line(state);
                }
            }
        }, cancellationToken);
    }

    /// <summary>Asks for the plan every <see cref="PollInterval"/> and hands each answer to <paramref name="show"/>, until the plan has ended.</summary>
    private static async Task<ApiResult<PlanDto>> PollAsync(ClientCall call, ApiResult<PlanDto> plan, Action<PlanDto> show,
        CancellationToken cancellationToken)
    {
        show(plan.Value);
        while (plan.Value.Status == PlanStatus.Running)
        {
            await Task.Delay(PollInterval, cancellationToken);
            plan = await call.Api.GetAsync<PlanDto>(PlanPath(plan.Value.Id), cancellationToken);
            show(plan.Value);
        }
        return plan;
    }

    private static string ItemLine(PlanItemDto item)
    {
        var run = item.RunId is { } id ? $" run {id}" + (item.RunStatus is { } status ? $" {Tables.Wire(status)}" : "") : "";
        var why = item.WaitingReason ?? item.Reason;
        return $"{item.WorkItem} {Tables.Wire(item.Status)}{run}" + (why is null ? "" : $": {why}");
    }

    private static string Summary(PlanDto plan) =>
        $"Plan {plan.Id} {Tables.Wire(plan.Status)}: "
        + string.Join(", ", plan.Items.GroupBy(i => i.Status).OrderBy(g => g.Key).Select(g => $"{g.Count()} {Tables.Wire(g.Key)}"))
        + (plan.FinishedAt is { } finished ? $" (ended {Tables.Time(finished)})" : "");

    private static Rows Render(PlanDto plan)
    {
        var fields = Tables.Fields(
            ("plan", plan.Id), ("project", plan.Project), ("status", Status(plan.Status)), ("priority", plan.Priority),
            ("scheduled for", plan.ScheduledFor is null ? "now" : Tables.Time(plan.ScheduledFor)),
            ("requested", $"{Tables.Time(plan.CreatedAt)} by {plan.RequestedBy}"), ("finished", Tables.Time(plan.FinishedAt)));
        var items = plan.Items.Aggregate(Tables.Of("WORK ITEM", "STATUS", "DEPENDS ON", "PRIORITY", "RUN", "RUN STATUS", "WHY"), (table, item) => table.Row(
            item.WorkItem, Status(item.Status), Tables.List(item.DependsOn), item.Priority, item.RunId,
            item.RunStatus is { } run ? Tables.Status(run) : null, item.WaitingReason ?? item.Reason));
        return new Rows(fields, items);
    }

    private static Text Status(PlanStatus status) => new(Tables.Wire(status), new Style(status switch
    {
        PlanStatus.Succeeded => Color.Green,
        PlanStatus.Failed => Color.Red,
        PlanStatus.Cancelled => Color.Yellow,
        _ => Color.Blue,
    }));

    private static Text Status(PlanItemStatus status) => new(Tables.Wire(status), new Style(status switch
    {
        PlanItemStatus.Succeeded => Color.Green,
        PlanItemStatus.Failed => Color.Red,
        PlanItemStatus.Cancelled or PlanItemStatus.Skipped => Color.Yellow,
        PlanItemStatus.Started => Color.Blue,
        _ => Color.Grey,
    }));
}
