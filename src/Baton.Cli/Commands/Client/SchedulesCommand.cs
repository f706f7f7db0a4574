using System.CommandLine;
using System.Globalization;
using Baton.Cli.Client;
using Baton.Cli.Output;
using Baton.Server.Features.Plans;
using Spectre.Console;

namespace Baton.Cli.Commands.Client;

/// <summary>`baton schedules list | create | pause | resume`: cron schedules, each occurrence starting a plan.</summary>
internal static class SchedulesCommand
{
    public static Command Create()
    {
        var cron = new Option<string>("--cron") { Description = "5 fields (minute hour day month weekday), or 6 with seconds first", Required = true };
        var timeZone = new Option<string?>("--time-zone") { Description = "IANA time zone the cron is read in (default: UTC)", HelpName = "ZONE" };
        var workItems = new Option<string[]>("--work-item")
        {
            Description = "A work item to plan each time, with its dependencies (repeatable; default: the whole project)",
            AllowMultipleArgumentsPerToken = false,
        };
        var pauseId = Id();
        var resumeId = Id();
        return ClientCommand.Group("schedules", "Cron schedules: list, create, pause, resume",
            ClientCommand.Create("list", "List a project's schedules", ListAsync, project: true),
            ClientCommand.Create("create", "Create a schedule: each occurrence plans the work items", (call, token) => CreateAsync(call, new CreateScheduleRequest
            {
                Cron = call.Value(cron),
                TimeZone = call.Value(timeZone),
                WorkItems = call.Value(workItems) is { Length: > 0 } given ? given : null,
            }, token), project: true, cron, timeZone, workItems),
            ClientCommand.Create("pause", "Pause a schedule (nothing fires until it is resumed)",
                (call, token) => SetPausedAsync(call, call.Value(pauseId), "pause", token), symbols: pauseId),
            ClientCommand.Create("resume", "Resume a schedule from its next occurrence (what was missed is not made up)",
                (call, token) => SetPausedAsync(call, call.Value(resumeId), "resume", token), symbols: resumeId));
    }

    private static Argument<long> Id() => new("schedule") { Description = "Schedule id" };

    private static async Task<int> ListAsync(ClientCall call, CancellationToken cancellationToken)
    {
        var schedules = await call.Api.GetAsync<List<ScheduleDto>>($"api/projects/{call.ProjectPath}/schedules", cancellationToken);
        call.Printer.Show(schedules, list => list.Aggregate(Tables.Of("ID", "CRON", "TIME ZONE", "WORK ITEMS", "STATE", "NEXT", "LAST", "LAST PLAN"),
            (table, s) => table.Row(s.Id, s.Cron, s.TimeZone, s.WorkItems is null ? "all" : Tables.List(s.WorkItems), State(s.Paused),
                s.Paused ? "" : Tables.Time(s.NextRunAt), Tables.Time(s.LastRunAt), s.LastPlanId)));
        return ExitCodes.Success;
    }

    private static async Task<int> CreateAsync(ClientCall call, CreateScheduleRequest request, CancellationToken cancellationToken)
    {
        var schedule = await call.Api.PostAsync<ScheduleDto>($"api/projects/{call.ProjectPath}/schedules", request, cancellationToken);
        call.Printer.Show(schedule, Render);
        return ExitCodes.Success;
    }

    private static async Task<int> SetPausedAsync(ClientCall call, long id, string verb, CancellationToken cancellationToken)
    {
        var schedule = await call.Api.PostAsync<ScheduleDto>($"api/schedules/{id.ToString(CultureInfo.InvariantCulture)}/{verb}", null, cancellationToken);
        call.Printer.Show(schedule, Render);
        return ExitCodes.Success;
    }

    private static Grid Render(ScheduleDto s) => Tables.Fields(
        ("schedule", s.Id), ("project", s.Project), ("cron", $"{s.Cron} ({s.TimeZone})"),
        ("work items", s.WorkItems is null ? "all of the project's" : Tables.List(s.WorkItems)), ("state", State(s.Paused)),
        ("next", s.Paused ? "" : Tables.Time(s.NextRunAt)), ("last", Tables.Time(s.LastRunAt)), ("last plan", s.LastPlanId));

    private static Text State(bool paused) => paused ? new Text("paused", new Style(Color.Yellow)) : new Text("active", new Style(Color.Green));
}
