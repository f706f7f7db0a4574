using System.CommandLine;
using Baton.Cli.Client;
using Baton.Cli.Output;
using Baton.Contracts.Paging;
using Baton.Server.Features.Plans;

namespace Baton.Cli.Commands.Client;

/// <summary>`baton queue`: what waits to run, highest priority first, and the one reason each waits.</summary>
internal static class QueueCommand
{
    public static Command Create()
    {
        var limit = Paging.Limit();
        return ClientCommand.Create("queue", "What waits to run (plan items and runs), highest priority first, and why",
            (call, token) => ShowAsync(call, call.Value(limit), token), symbols: limit);
    }

    private static async Task<int> ShowAsync(ClientCall call, int limit, CancellationToken cancellationToken)
    {
        var queue = await call.Api.GetAsync<Page<QueueEntryDto>>($"api/queue?limit={limit}", cancellationToken);
        call.Printer.Show(queue, p => p.Items.Aggregate(Tables.Of("PROJECT", "WORK ITEM", "PLAN", "RUN", "STATE", "PRIORITY", "DUE", "WHY"),
            (table, e) => table.Row(e.Project, e.WorkItem, e.PlanId, e.RunId, e.State, e.Priority, Tables.Time(e.DueAt), e.Reason)));
        if (!call.Printer.Json && queue.Value.Items.Count == 0)
        {
            call.Printer.Note("[grey]Nothing waits.[/]");
        }
        else if (!call.Printer.Json && queue.Value.Items.Count == limit)
        {
            call.Printer.Note($"[grey]the first {limit} shown; raise --limit to see more[/]");
        }
        return ExitCodes.Success;
    }
}
