using System.Net;
using System.Net.Http.Json;
using Baton.Server.Tests.Infrastructure;

namespace Baton.Server.Tests.Features.Plans;

public sealed class SqliteScheduleStorageTests(SqliteApplication app) : ScheduleStorageTests<SqliteApplication>(app);

public sealed class PostgresScheduleStorageTests(PostgresApplication app) : ScheduleStorageTests<PostgresApplication>(app);

/// <summary>Schedules in any time zone are stored on both providers (PostgreSQL takes only UTC instants).</summary>
public abstract class ScheduleStorageTests<TApp>(TApp app) : ApiTestBase<TApp>(app) where TApp : BatonApplication
{
    [Theory]
    [InlineData("Europe/Paris")]
    [InlineData("America/St_Johns")]
    [InlineData("Asia/Kathmandu")]
    public async Task AScheduleInATimeZone_IsStored_WithItsNextRunInUtc(string timeZone)
    {
        var key = await CreateProjectAsync();
        await Admin.RunnableAsync(key, new { title = "nightly" });

        var response = await Admin.PostAsJsonAsync($"/api/projects/{key}/schedules", new { cron = "30 9 * * *", timeZone });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var next = (await JsonAsync(response)).GetProperty("nextRunAt").GetDateTimeOffset();
        var local = TimeZoneInfo.ConvertTime(next, TimeZoneInfo.FindSystemTimeZoneById(timeZone));
        Assert.Equal((9, 30), (local.Hour, local.Minute));
        var listed = await JsonAsync(await Admin.GetAsync($"/api/projects/{key}/schedules"));
        Assert.Equal(next, listed[0].GetProperty("nextRunAt").GetDateTimeOffset());
    }
}
