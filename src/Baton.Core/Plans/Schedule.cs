using Cronos;

namespace Baton.Core.Plans;

/// <summary>
/// Starts a plan at each occurrence of a cron expression in a time zone. Misfires (occurrences
/// missed while no server ran, or while paused) follow one rule: the schedule fires once for
/// all of them at the next pass, then continues from the next occurrence after that moment; it
/// never fires N times to catch up.
/// </summary>
public sealed class Schedule
{
    private Schedule() { }

    public Schedule(long projectId, string cron, string timeZone, IReadOnlyList<string>? workItems, string createdBy, DateTimeOffset now)
    {
        ProjectId = projectId;
        Cron = cron;
        TimeZone = timeZone;
        WorkItems = workItems is null ? null : [.. workItems];
        CreatedBy = createdBy;
        CreatedAt = now;
        NextRunAt = NextAfter(now);
    }

    public const int CronLength = 100;

    public long Id { get; private set; }
    public long ProjectId { get; private set; }
    public string Cron { get; private set; } = "";
    /// <summary>IANA time zone id (e.g. Europe/Paris); occurrences follow its clock, daylight saving included.</summary>
    public string TimeZone { get; private set; } = "UTC";
    /// <summary>Work item keys to plan (with their dependencies); null plans the whole project.</summary>
    public List<string>? WorkItems { get; private set; }
    public bool Paused { get; private set; }
    public DateTimeOffset? NextRunAt { get; private set; }
    public DateTimeOffset? LastRunAt { get; private set; }
    public long? LastPlanId { get; private set; }
    public string CreatedBy { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>Why <paramref name="cron"/> or <paramref name="timeZone"/> cannot be used, or null.</summary>
    public static string? Check(string cron, string timeZone, out string? field)
    {
        field = "cron";
        try
        {
            CronExpression.Parse(cron, Format(cron));
        }
        catch (CronFormatException exception)
        {
            return $"not a cron expression ({exception.Message}); use 5 fields (minute hour day month weekday) or 6 with seconds";
        }
        field = "timeZone";
        return TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out _) ? null : $"'{timeZone}' is not a known time zone (use an IANA id such as Europe/Paris)";
    }

    public void Pause() => Paused = true;

    /// <summary>Resumes from the next occurrence after now: what was missed while paused is not made up.</summary>
    public void Resume(DateTimeOffset now)
    {
        Paused = false;
        NextRunAt = NextAfter(now);
    }

    /// <summary>Records a firing at <paramref name="now"/> and moves to the first occurrence after it (the misfire rule).</summary>
    public void Fired(long planId, DateTimeOffset now)
    {
        LastRunAt = now;
        LastPlanId = planId;
        NextRunAt = NextAfter(now);
    }

    /// <summary>
    /// The next occurrence, in UTC like every time Baton keeps and shows: Cronos answers with the zone's offset
    /// (09:00+01:00 in Paris), the same instant written another way. (Storage turns any offset into UTC too.)
    /// </summary>
    public DateTimeOffset? NextAfter(DateTimeOffset moment) =>
        CronExpression.Parse(Cron, Format(Cron)).GetNextOccurrence(moment, TimeZoneInfo.FindSystemTimeZoneById(TimeZone))?.ToUniversalTime();

    private static CronFormat Format(string cron) =>
        cron.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard;
}
