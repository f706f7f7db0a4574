using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Baton.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Net.Http.Headers;

namespace Baton.Server.Tests.Features.Sessions;

/// <summary>The server on a clock the test moves, starting now (so the key ring and the tokens are not from another time).</summary>
public sealed class FakeClockSessionApplication : SqliteApplication
{
    public FakeClockSessionApplication() => TestServices.Add(services => services.AddSingleton<TimeProvider>(Clock));

    public FakeTimeProvider Clock { get; } = new(TimeProvider.System.GetUtcNow());
}

/// <summary>A session's lifetime (8 h by default): renewed by use past its half, never past its token's expiry; ended by disuse.</summary>
public sealed class SessionRenewalTests(FakeClockSessionApplication app) : ApiTestBase<FakeClockSessionApplication>(app)
{
    [Fact]
    public async Task ASessionUsedPastHalfItsLifetime_IsRenewed_ButNotPastItsTokensExpiry()
    {
        var start = App.Clock.GetUtcNow();
        var browser = await LoggedInAsync(start.AddHours(10));

        App.Clock.Advance(TimeSpan.FromHours(3));
        var early = await browser.GetAsync("/api/projects");
        App.Clock.Advance(TimeSpan.FromHours(2));
        var renewing = await browser.GetAsync("/api/projects");

        await AssertStatusAsync(HttpStatusCode.OK, early);
        Assert.Null(SessionCookie(early));
        await AssertStatusAsync(HttpStatusCode.OK, renewing);
        Assert.Equal(start.AddHours(10).ToUnixTimeSeconds(), SessionCookie(renewing)?.Expires?.ToUnixTimeSeconds());
        var session = await JsonAsync(await browser.GetAsync("/api/session"));
        Assert.Equal(start.AddHours(10).ToUnixTimeSeconds(), session.GetProperty("expiresAt").GetDateTimeOffset().ToUnixTimeSeconds());

        // Past the first 8 hours: the renewed session still works, until the token expires.
        App.Clock.Advance(TimeSpan.FromHours(4));
        await AssertStatusAsync(HttpStatusCode.OK, await browser.GetAsync("/api/projects"));
        App.Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        await ProblemAsync(await browser.GetAsync("/api/projects"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task AnUnusedSession_EndsAfterItsLifetime()
    {
        var browser = await LoggedInAsync(expiresAt: null);

        App.Clock.Advance(TimeSpan.FromHours(8) + TimeSpan.FromMinutes(1));

        var problem = await ProblemAsync(await browser.GetAsync("/api/projects"), HttpStatusCode.Unauthorized);
        Assert.Contains("session has ended", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private async Task<HttpClient> LoggedInAsync(DateTimeOffset? expiresAt)
    {
        var created = await JsonAsync(await Admin.PostAsJsonAsync("/api/tokens", new { name = $"ui-{Guid.NewGuid():N}", role = "viewer", expiresAt }));
        var browser = App.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false });
        using var login = new HttpRequestMessage(HttpMethod.Post, "/api/session");
        login.Headers.Authorization = new AuthenticationHeaderValue("Bearer", created.GetProperty("secret").GetString());
        await AssertStatusAsync(HttpStatusCode.OK, await browser.SendAsync(login));
        return browser;
    }

    private static SetCookieHeaderValue? SessionCookie(HttpResponseMessage response) =>
        response.Headers.TryGetValues(HeaderNames.SetCookie, out var values)
            ? SetCookieHeaderValue.ParseList([.. values]).SingleOrDefault(cookie => cookie.Name == "baton.session")
            : null;
}
