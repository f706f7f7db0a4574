using System.Net;
using System.Net.Http.Json;
using Baton.Server.Tests.Infrastructure;

namespace Baton.Server.Tests.Features.Tokens;

public sealed class SqliteTimeOffsetTests(SqliteApplication app) : TimeOffsetTests<SqliteApplication>(app);

public sealed class PostgresTimeOffsetTests(PostgresApplication app) : TimeOffsetTests<PostgresApplication>(app);

/// <summary>Times a client sends with an offset (+02:00) are the same instants in UTC, stored and compared on both providers.</summary>
public abstract class TimeOffsetTests<TApp>(TApp app) : ApiTestBase<TApp>(app) where TApp : BatonApplication
{
    [Fact]
    public async Task TimesWithAnOffset_AreStoredAndComparedAsTheirInstant()
    {
        var expires = DateTimeOffset.Parse("2099-01-01T02:00:00+02:00", System.Globalization.CultureInfo.InvariantCulture);

        var token = await Admin.PostAsJsonAsync("/api/tokens", new { name = "offset", role = "viewer", expiresAt = expires });

        await AssertStatusAsync(HttpStatusCode.Created, token);
        Assert.Equal(expires, (await JsonAsync(token)).GetProperty("token").GetProperty("expiresAt").GetDateTimeOffset());
        var since = Uri.EscapeDataString("2000-01-01T02:00:00+02:00");
        Assert.Equal(HttpStatusCode.OK, (await Admin.GetAsync($"/api/audit?action=token&since={since}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Admin.GetAsync($"/api/logs/search?q=anything&since={since}")).StatusCode);
        var key = await CreateProjectAsync();
        await Admin.RunnableAsync(key, new { title = "later", labels = new[] { "nobody-" + key } });
        var plan = await Admin.PostAsJsonAsync($"/api/projects/{key}/plans", new { scheduledFor = expires });
        await AssertStatusAsync(HttpStatusCode.Created, plan);
        // A plan 73 years ahead is past what one timer can wait: the scheduler must stay up and keep answering.
        var tick = await Admin.PostAsync("/api/scheduler/tick", null);
        await AssertStatusAsync(HttpStatusCode.OK, tick);
        Assert.DoesNotContain(App.Logs.Entries, e => e.Message.Contains("BackgroundService failed", StringComparison.Ordinal));
    }
}
