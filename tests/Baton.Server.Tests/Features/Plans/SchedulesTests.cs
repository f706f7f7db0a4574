using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Baton.Server.Tests.Infrastructure;
using Baton.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Baton.Server.Tests.Features.Plans;

/// <summary>The server on a clock the test moves: cron schedules are checked without waiting for real time.</summary>
public sealed class FakeClockSqliteApplication : SqliteApplication
{
    public FakeClockSqliteApplication() =>
        TestServices.Add(services => services.AddSingleton<TimeProvider>(Clock));

    /// <summary>A Monday morning in winter (Paris is UTC+1).</summary>
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 23, 10, 2, 0, TimeSpan.Zero));
}

public sealed class SchedulesTests(FakeClockSqliteApplication app) : ApiTestBase<FakeClockSqliteApplication>(app)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private Task<int> PlansOfAsync(string key) =>
        App.DbAsync(db => db.Plans.CountAsync(p => db.Projects.Any(x => x.Id == p.ProjectId && x.Key == key)));

    private async Task TickUntilAsync(string key, int plans)
    {
        await Eventually.TrueAsync(async () =>
        {
            (await Admin.PostAsync("/api/scheduler/tick", null)).EnsureSuccessStatusCode();
            return await PlansOfAsync(key) >= plans;
        }, Deadline, $"{plans} plan(s) in {key}");
        Assert.Equal(plans, await PlansOfAsync(key));
    }

    [Fact]
    public async Task ASchedule_FiresAtItsOccurrences_OnceForManyMissed_NotWhilePaused_InItsTimeZone()
    {
        var key = await CreateProjectAsync();
        await Admin.RunnableAsync(key, new { title = "nightly", labels = new[] { "none-" + key } });

        var every5 = await JsonAsync(await Admin.PostAsJsonAsync($"/api/projects/{key}/schedules", new { cron = "*/5 * * * *" }));
        var paris = await JsonAsync(await Admin.PostAsJsonAsync($"/api/projects/{key}/schedules", new { cron = "0 9 * * *", timeZone = "Europe/Paris" }));
        var id = every5.GetProperty("id").GetInt64();

        Assert.Equal(DateTimeOffset.Parse("2026-11-23T10:05:00Z", System.Globalization.CultureInfo.InvariantCulture),
            every5.GetProperty("nextRunAt").GetDateTimeOffset());
        Assert.Equal(DateTimeOffset.Parse("2026-11-24T08:00:00Z", System.Globalization.CultureInfo.InvariantCulture),
            paris.GetProperty("nextRunAt").GetDateTimeOffset());
        (await Admin.PostAsync("/api/scheduler/tick", null)).EnsureSuccessStatusCode();
        Assert.Equal(0, await PlansOfAsync(key));

        App.Clock.Advance(TimeSpan.FromMinutes(4));
        await TickUntilAsync(key, 1);

        // An hour passes with no server looking: twelve occurrences missed, one plan made.
        App.Clock.Advance(TimeSpan.FromHours(1));
        await TickUntilAsync(key, 2);
        (await Admin.PostAsync("/api/scheduler/tick", null)).EnsureSuccessStatusCode();
        Assert.Equal(2, await PlansOfAsync(key));
        var after = (await JsonAsync(await Admin.GetAsync($"/api/projects/{key}/schedules"))).EnumerateArray().First(s => s.GetProperty("id").GetInt64() == id);
        // Fired at 11:06 for everything since 10:10; next at the first occurrence after that.
        Assert.Equal(DateTimeOffset.Parse("2026-11-23T11:10:00Z", System.Globalization.CultureInfo.InvariantCulture),
            after.GetProperty("nextRunAt").GetDateTimeOffset());

        var paused = await JsonAsync(await Admin.PostAsync($"/api/schedules/{id}/pause", null));
        App.Clock.Advance(TimeSpan.FromMinutes(30));
        (await Admin.PostAsync("/api/scheduler/tick", null)).EnsureSuccessStatusCode();
        Assert.True(paused.GetProperty("paused").GetBoolean());
        Assert.Equal(2, await PlansOfAsync(key));

        var resumed = await JsonAsync(await Admin.PostAsync($"/api/schedules/{id}/resume", null));
        Assert.True(resumed.GetProperty("nextRunAt").GetDateTimeOffset() > App.Clock.GetUtcNow());
        (await Admin.PostAsync("/api/scheduler/tick", null)).EnsureSuccessStatusCode();
        Assert.Equal(2, await PlansOfAsync(key));
    }

    [Theory]
    [InlineData("not cron", null, "cron")]
    [InlineData("0 9 * * *", "Mars/Olympus", "timeZone")]
    public async Task ABadScheduleIsRefused_NamingTheField(string cron, string? timeZone, string field)
    {
        var key = await CreateProjectAsync();

        var problem = await ProblemAsync(await Admin.PostAsJsonAsync($"/api/projects/{key}/schedules", new { cron, timeZone }), HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
        Assert.Empty((await JsonAsync(await Admin.GetAsync($"/api/projects/{key}/schedules"))).EnumerateArray());
    }
}
