using System.Security.Claims;
using Baton.Core.Plans;
using Baton.Persistence;
using Baton.Persistence.Storage;
using Baton.Server.Features.Projects;
using Baton.Server.Infrastructure.Audit;
using Baton.Server.Infrastructure.Auth;
using Baton.Server.Infrastructure.Errors;
using Baton.Server.Infrastructure.Signals;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Baton.Server.Features.Plans;

public sealed record CreateScheduleRequest
{
    /// <summary>5 fields (minute hour day month weekday) or 6 with seconds first.</summary>
    public required string Cron { get; init; }
    /// <summary>IANA time zone id; UTC when absent.</summary>
    public string? TimeZone { get; init; }
    /// <summary>Work item keys to plan each time (with their dependencies); the whole project when absent.</summary>
    public IReadOnlyList<string>? WorkItems { get; init; }
}

public sealed record ScheduleDto(long Id, string Project, string Cron, string TimeZone, IReadOnlyList<string>? WorkItems, bool Paused,
    DateTimeOffset? NextRunAt, DateTimeOffset? LastRunAt, long? LastPlanId)
{
    public static ScheduleDto From(Schedule schedule, string project) => new(schedule.Id, project, schedule.Cron, schedule.TimeZone,
        schedule.WorkItems, schedule.Paused, schedule.NextRunAt, schedule.LastRunAt, schedule.LastPlanId);
}

/// <summary>Cron schedules: each occurrence starts a plan (see <see cref="Schedule"/> for the misfire rule).</summary>
public static class SchedulesApi
{
    public static IEndpointRouteBuilder MapSchedules(this IEndpointRouteBuilder routes)
    {
        var project = routes.MapGroup("/api/projects/{key}/schedules").WithTags("Scheduler");
        project.MapPost("/", Create).RequireAuthorization(Policies.Write).WithSummary("Create a cron schedule")
            .WithDescription("Each occurrence of `cron` in `timeZone` starts a plan of `workItems` (or the whole project). Occurrences missed "
                + "while no server ran or while paused fire once at the next pass, never once each.");
        project.MapGet("/", List).RequireAuthorization(Policies.Read).WithSummary("List a project's schedules");
        routes.MapPost("/api/schedules/{id:long}/pause", (long id, BatonDbContext db, WriteGate gate, AuditTrail audit, ClaimsPrincipal user,
                CancellationToken cancellationToken) => SetPausedAsync(id, true, db, gate, audit, null, null, user, cancellationToken))
            .WithTags("Scheduler").RequireAuthorization(Policies.Write).WithSummary("Pause a schedule");
        routes.MapPost("/api/schedules/{id:long}/resume", (long id, BatonDbContext db, WriteGate gate, AuditTrail audit, RunSignals signals,
                TimeProvider clock, ClaimsPrincipal user, CancellationToken cancellationToken) =>
                SetPausedAsync(id, false, db, gate, audit, signals, clock, user, cancellationToken))
            .WithTags("Scheduler").RequireAuthorization(Policies.Write).WithSummary("Resume a schedule")
            .WithDescription("Continues from the next occurrence after now; what was missed while paused is not made up.");
        return routes;
    }

    private static async Task<Results<Created<ScheduleDto>, ProblemHttpResult>> Create(string key, CreateScheduleRequest request, BatonDbContext db,
        WriteGate gate, AuditTrail audit, RunSignals signals, TimeProvider clock, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var timeZone = string.IsNullOrWhiteSpace(request.TimeZone) ? "UTC" : request.TimeZone.Trim();
        var errors = new FieldErrors();
        errors.RequireText("cron", request.Cron, Schedule.CronLength);
        if (!errors.Any && Schedule.Check(request.Cron.Trim(), timeZone, out var field) is { } problem)
        {
            errors.Add(field!, problem);
        }
        if (request.WorkItems is { Count: 0 })
        {
            errors.Add("workItems", "name at least one work item, or leave workItems out to plan the whole project");
        }
        if (errors.Any)
        {
            return errors.ToFailure().ToResult();
        }
        var project = await db.FindIdAsync(key, cancellationToken);
        if (project.Failure is { } missing)
        {
            return missing.ToResult();
        }
        var schedule = new Schedule(project.Value, request.Cron.Trim(), timeZone, request.WorkItems, user.Actor(), clock.GetUtcNow());
        using (await gate.EnterAsync(cancellationToken))
        {
            db.Schedules.Add(schedule);
            await db.SaveChangesAsync(cancellationToken);
            audit.Record(user.Actor(), "schedule.created", $"schedule:{schedule.Id}", $"{schedule.Cron} ({timeZone}) in project {key}");
            await db.SaveChangesAsync(cancellationToken);
        }
        signals.PulseScheduler();
        return TypedResults.Created($"/api/projects/{key}/schedules", ScheduleDto.From(schedule, key));
    }

    private static async Task<Results<Ok<List<ScheduleDto>>, ProblemHttpResult>> List(string key, BatonDbContext db, CancellationToken cancellationToken)
    {
        var project = await db.FindIdAsync(key, cancellationToken);
        if (project.Failure is { } missing)
        {
            return missing.ToResult();
        }
        var schedules = await db.Schedules.AsNoTracking().Where(s => s.ProjectId == project.Value).OrderBy(s => s.Id).Take(500)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(schedules.Select(s => ScheduleDto.From(s, key)).ToList());
    }

    private static async Task<Results<Ok<ScheduleDto>, ProblemHttpResult>> SetPausedAsync(long id, bool paused, BatonDbContext db, WriteGate gate,
        AuditTrail audit, RunSignals? signals, TimeProvider? clock, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        using (await gate.EnterAsync(cancellationToken))
        {
            var schedule = await db.Schedules.SingleOrDefaultAsync(s => s.Id == id, cancellationToken);
            if (schedule is null)
            {
                return Failure.NotFound($"schedule {id} does not exist").ToResult();
            }
            if (paused)
            {
                schedule.Pause();
            }
            else
            {
                schedule.Resume(clock!.GetUtcNow());
            }
            audit.Record(user.Actor(), paused ? "schedule.paused" : "schedule.resumed", $"schedule:{id}");
            await db.SaveChangesAsync(cancellationToken);
            var project = await db.Projects.Where(p => p.Id == schedule.ProjectId).Select(p => p.Key).SingleAsync(cancellationToken);
            signals?.PulseScheduler();
            return TypedResults.Ok(ScheduleDto.From(schedule, project));
        }
    }
}
