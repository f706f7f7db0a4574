using System.CommandLine;
using Baton.Cli.Client;
using Baton.Cli.Output;
using Baton.Core.Agents;
using Baton.Server.Features.Agents;
using Spectre.Console;

namespace Baton.Cli.Commands.Client;

/// <summary>`baton agents list`: every registered agent, its labels, load and status.</summary>
internal static class AgentsCommand
{
    public static Command Create() => ClientCommand.Group("agents", "Agents: list",
        ClientCommand.Create("list", "List registered agents: labels, runs in progress out of capacity, status", ListAsync));

    private static async Task<int> ListAsync(ClientCall call, CancellationToken cancellationToken)
    {
        var agents = await call.Api.GetAsync<List<AgentDto>>("api/agents", cancellationToken);
        call.Printer.Show(agents, list => list.Aggregate(Tables.Of("ID", "NAME", "STATUS", "RUNNING", "LABELS", "VERSION", "LAST SEEN", "REGISTERED"),
            (table, a) => table.Row(a.Id, a.Name, Status(a.Status), $"{a.Running}/{a.Capacity}", Tables.List(a.Labels), a.Version,
                Tables.Time(a.LastSeenAt), Tables.Time(a.RegisteredAt))));
        return ExitCodes.Success;
    }

    private static Text Status(AgentStatus status) => new(Tables.Wire(status), new Style(status switch
    {
        AgentStatus.Idle => Color.Green,
        AgentStatus.Busy => Color.Blue,
        AgentStatus.Draining => Color.Yellow,
        _ => Color.Red,
    }));
}
