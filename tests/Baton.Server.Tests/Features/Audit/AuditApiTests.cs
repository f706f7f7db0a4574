using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Baton.Server.Tests.Infrastructure;

namespace Baton.Server.Tests.Features.Audit;

public sealed class SqliteAuditApiTests(SqliteApplication app) : AuditApiTests<SqliteApplication>(app);

public sealed class PostgresAuditApiTests(PostgresApplication app) : AuditApiTests<PostgresApplication>(app);

public abstract class AuditApiTests<TApp>(TApp app) : ApiTestBase<TApp>(app) where TApp : BatonApplication
{
    private async Task<(string Name, string Secret)> TokenAsync(string role)
    {
        var name = role + "-" + Guid.NewGuid().ToString("N")[..10];
        var created = await JsonAsync(await Admin.PostAsJsonAsync("/api/tokens", new { name, role }));
        return (name, created.GetProperty("secret").GetString()!);
    }

    private async Task<List<JsonElement>> EventsAsync(string query)
    {
        var response = await Admin.GetAsync("/api/audit?" + query);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await JsonAsync(response)).GetProperty("items").EnumerateArray()];
    }

    private static string[] Actions(IEnumerable<JsonElement> events) => [.. events.Select(e => e.GetProperty("action").GetString()!)];

    [Fact]
    public async Task TheLog_ListsChangesNewestFirst_ByActorActionFamilySubjectAndTime()
    {
        var (maintainer, secret) = await TokenAsync("maintainer");
        var key = NewKey();
        var asMaintainer = App.Client(secret);
        Assert.Equal(HttpStatusCode.Created, (await asMaintainer.PostAsJsonAsync("/api/projects", new { key, name = key })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await asMaintainer.PostAsJsonAsync($"/api/projects/{key}/work-items", new { title = "one" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await asMaintainer.PostAsJsonAsync($"/api/projects/{key}/work-items", new { title = "two" })).StatusCode);

        var underProject = await EventsAsync($"subject=project:{key}");
        Assert.Equal(["work_item.created", "work_item.created", "project.created"], Actions(underProject));
        Assert.Equal([$"project:{key}/WI-2", $"project:{key}/WI-1", $"project:{key}"], underProject.Select(e => e.GetProperty("subject").GetString()));
        Assert.All(underProject, e => Assert.Equal(maintainer, e.GetProperty("actor").GetString()));
        Assert.Equal(["project.created"], Actions(await EventsAsync($"subject=project:{key}&action=project")));
        Assert.Empty(await EventsAsync($"subject=project:{key}&action=work"));
        Assert.Equal(3, (await EventsAsync($"actor={maintainer}")).Count);
        var at = underProject[1].GetProperty("at").GetDateTimeOffset();
        Assert.Empty(await EventsAsync($"actor={maintainer}&since={Uri.EscapeDataString(at.AddHours(1).ToString("O", CultureInfo.InvariantCulture))}"));
        Assert.Equal(3, (await EventsAsync($"actor={maintainer}&until={Uri.EscapeDataString(at.AddHours(1).ToString("O", CultureInfo.InvariantCulture))}")).Count);
    }

    [Fact]
    public async Task Pages_FollowEachOther_WithoutOverlap_WhileNewEventsArrive()
    {
        var (maintainer, secret) = await TokenAsync("maintainer");
        var asMaintainer = App.Client(secret);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await asMaintainer.PostAsJsonAsync("/api/projects", new { key = NewKey(), name = "p" })).StatusCode);
        }

        var seen = new List<long>();
        string? cursor = null;
        do
        {
            var page = await JsonAsync(await Admin.GetAsync($"/api/audit?actor={maintainer}&limit=2" + (cursor is null ? "" : "&cursor=" + cursor)));
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetInt64()));
            cursor = page.GetProperty("nextCursor").GetString();
            // A newer event never shows up on a later page.
            Assert.Equal(HttpStatusCode.Created, (await asMaintainer.PostAsJsonAsync("/api/projects", new { key = NewKey(), name = "late" })).StatusCode);
        }
        while (cursor is not null);

        Assert.Equal(5, seen.Count);
        Assert.Equal(seen.OrderByDescending(id => id), seen);
    }

    [Fact]
    public async Task RefusedCredentials_AreAudited_WithoutStoringTheSecret()
    {
        var unknown = "baton_" + Guid.NewGuid().ToString("N") + "unknownsecret";
        var shortGuess = "hunter2-" + Guid.NewGuid().ToString("N")[..6];
        var (viewer, viewerSecret) = await TokenAsync("viewer");

        await ProblemAsync(await App.Client(unknown).GetAsync("/api/projects?limit=7"), HttpStatusCode.Unauthorized);
        await ProblemAsync(await App.Client(shortGuess).GetAsync("/api/projects"), HttpStatusCode.Unauthorized);
        await ProblemAsync(await App.Client(viewerSecret).PostAsJsonAsync("/api/projects", new { key = NewKey(), name = "no" }), HttpStatusCode.Forbidden);
        await ProblemAsync(await App.Client(viewerSecret).GetAsync("/api/audit"), HttpStatusCode.Forbidden);

        var failed = await EventsAsync("action=auth.failed&limit=200");
        var all = string.Join("\n", failed.Select(e => e.ToString()));
        Assert.DoesNotContain(unknown, all, StringComparison.Ordinal);
        Assert.DoesNotContain(shortGuess, all, StringComparison.Ordinal);
        var byPrefix = Assert.Single(failed, e => e.GetProperty("details").GetString()!.Contains($"'{unknown[..12]}...'", StringComparison.Ordinal));
        Assert.Equal(("anonymous", "GET /api/projects"), (byPrefix.GetProperty("actor").GetString(), byPrefix.GetProperty("subject").GetString()));
        Assert.Contains(failed, e => e.GetProperty("details").GetString()!.EndsWith($"token of {shortGuess.Length} characters", StringComparison.Ordinal));
        var forbidden = await EventsAsync($"action=auth.forbidden&actor={viewer}");
        Assert.Equal(["GET /api/audit", "POST /api/projects"], forbidden.Select(e => e.GetProperty("subject").GetString()));
        Assert.Empty(await EventsAsync($"actor={viewer}&action=project"));
    }

    [Fact]
    public async Task BadFilters_AreRefusedNamingTheField()
    {
        var times = await ProblemAsync(await Admin.GetAsync("/api/audit?since=2026-12-01T10:00:00Z&until=2026-12-01T09:00:00Z"), HttpStatusCode.BadRequest);
        Assert.True(times.GetProperty("errors").TryGetProperty("until", out _), times.ToString());
        var cursor = await ProblemAsync(await Admin.GetAsync("/api/audit?cursor=nonsense"), HttpStatusCode.BadRequest);
        Assert.True(cursor.GetProperty("errors").TryGetProperty("cursor", out _), cursor.ToString());
        var actor = await ProblemAsync(await Admin.GetAsync("/api/audit?actor=" + new string('a', 301)), HttpStatusCode.BadRequest);
        Assert.True(actor.GetProperty("errors").TryGetProperty("actor", out _), actor.ToString());
        await ProblemAsync(await Admin.GetAsync("/api/audit?since=yesterday"), HttpStatusCode.BadRequest);
    }
}
