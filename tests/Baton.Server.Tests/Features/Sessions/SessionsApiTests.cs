using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Baton.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;

namespace Baton.Server.Tests.Features.Sessions;

public sealed class SqliteSessionsApiTests(SqliteApplication app) : SessionsApiTests<SqliteApplication>(app);

public sealed class PostgresSessionsApiTests(PostgresApplication app) : SessionsApiTests<PostgresApplication>(app);

/// <summary>UI sessions: a token exchanged for a cookie, anti-forgery on the cookie's writes, and what ends a session.</summary>
public abstract class SessionsApiTests<TApp>(TApp app) : ApiTestBase<TApp>(app) where TApp : BatonApplication
{
    private const string SessionCookie = "baton.session";
    private const string ReadableCsrfCookie = "XSRF-TOKEN";
    private const string CsrfHeader = "X-CSRF-Token";

    [Fact]
    public async Task Login_SetsAnHttpOnlySameSiteStrictCookie_AndAnswersTheCallerItsEndAndTheCsrfToken()
    {
        var token = await NewTokenAsync("maintainer");
        var browser = Browser();
        var before = TimeProvider.System.GetUtcNow();

        var response = await SendAsync(browser, HttpMethod.Post, "/api/session", bearer: token.Secret);

        await AssertStatusAsync(HttpStatusCode.OK, response);
        var cookie = SetCookie(response, SessionCookie);
        Assert.True(cookie.HttpOnly, "the session cookie is HttpOnly");
        Assert.Equal(Microsoft.Net.Http.Headers.SameSiteMode.Strict, cookie.SameSite);
        Assert.Equal("/", cookie.Path.Value);
        Assert.False(cookie.Secure, "plain http: not Secure (SameAsRequest)");
        var body = await JsonAsync(response);
        Assert.Equal(token.Name, body.GetProperty("name").GetString());
        Assert.Equal("maintainer", body.GetProperty("role").GetString());
        var expiresAt = body.GetProperty("expiresAt").GetDateTimeOffset();
        Assert.InRange(expiresAt, before.AddHours(8).AddMinutes(-1), TimeProvider.System.GetUtcNow().AddHours(8));
        Assert.Equal(expiresAt.ToUnixTimeSeconds(), cookie.Expires!.Value.ToUnixTimeSeconds());
        var readable = SetCookie(response, ReadableCsrfCookie);
        Assert.False(readable.HttpOnly, "the page's scripts read the anti-forgery token");
        Assert.Equal(Microsoft.Net.Http.Headers.SameSiteMode.Strict, readable.SameSite);
        Assert.Equal(body.GetProperty("csrfToken").GetString(), Uri.UnescapeDataString(readable.Value.Value!));
        Assert.Equal(1, await App.DbAsync(db => db.AuditEvents.CountAsync(e =>
            e.Actor == token.Name && e.Action == "session.created" && e.Subject == $"token:{token.Name}")));
    }

    [Fact]
    public async Task Login_OverHttps_MarksTheCookiesSecure()
    {
        var token = await NewTokenAsync("viewer");
        var browser = App.CreateClient(new WebApplicationFactoryClientOptions
        {
            BaseAddress = new Uri("https://localhost"),
            HandleCookies = true,
            AllowAutoRedirect = false,
        });

        var response = await SendAsync(browser, HttpMethod.Post, "/api/session", bearer: token.Secret);

        await AssertStatusAsync(HttpStatusCode.OK, response);
        Assert.True(SetCookie(response, SessionCookie).Secure, "the session cookie is Secure over https");
        Assert.True(SetCookie(response, ReadableCsrfCookie).Secure, "the readable token is Secure over https");
    }

    [Fact]
    public async Task Login_NeverOutlivesTheToken()
    {
        var tokenEnd = TimeProvider.System.GetUtcNow().AddHours(2);
        var token = await NewTokenAsync("viewer", tokenEnd);

        var response = await SendAsync(Browser(), HttpMethod.Post, "/api/session", bearer: token.Secret);

        await AssertStatusAsync(HttpStatusCode.OK, response);
        Assert.Equal(tokenEnd.ToUnixTimeSeconds(), (await JsonAsync(response)).GetProperty("expiresAt").GetDateTimeOffset().ToUnixTimeSeconds());
        Assert.Equal(tokenEnd.ToUnixTimeSeconds(), SetCookie(response, SessionCookie).Expires!.Value.ToUnixTimeSeconds());
    }

    [Fact]
    public async Task TheCookieAlone_AuthenticatesReads_AndSaysWhoItIs()
    {
        var token = await NewTokenAsync("viewer");
        var (browser, _) = await LoggedInAsync(token);

        await AssertStatusAsync(HttpStatusCode.OK, await browser.GetAsync("/api/projects"));
        var session = await browser.GetAsync("/api/session");

        await AssertStatusAsync(HttpStatusCode.OK, session);
        var body = await JsonAsync(session);
        Assert.Equal(token.Name, body.GetProperty("name").GetString());
        Assert.Equal("viewer", body.GetProperty("role").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("csrfToken").GetString()));
        Assert.Null(browser.DefaultRequestHeaders.Authorization);
    }

    [Fact]
    public async Task ACookieWrite_IsRefusedWithoutTheCsrfToken_AndSucceedsWithIt()
    {
        var (browser, csrf) = await LoggedInAsync(await NewTokenAsync("maintainer"));
        var refusedKey = NewKey();
        var acceptedKey = NewKey();

        var refused = await SendAsync(browser, HttpMethod.Post, "/api/projects", new { key = refusedKey, name = "no token" });
        var forged = await SendAsync(browser, HttpMethod.Post, "/api/projects", new { key = refusedKey, name = "bad token" }, csrf: "forged");
        var accepted = await SendAsync(browser, HttpMethod.Post, "/api/projects", new { key = acceptedKey, name = "with token" }, csrf: csrf);

        Assert.Contains(CsrfHeader, (await ProblemAsync(refused, HttpStatusCode.BadRequest)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        await ProblemAsync(forged, HttpStatusCode.BadRequest);
        await AssertStatusAsync(HttpStatusCode.Created, accepted);
        Assert.False(await App.DbAsync(db => db.Projects.AnyAsync(p => p.Key == refusedKey)));
        Assert.True(await App.DbAsync(db => db.Projects.AnyAsync(p => p.Key == acceptedKey)));
    }

    [Fact]
    public async Task AnotherSessionsCsrfToken_IsRefused()
    {
        var (_, theirs) = await LoggedInAsync(await NewTokenAsync("maintainer"));
        var (browser, _) = await LoggedInAsync(await NewTokenAsync("maintainer"));

        var response = await SendAsync(browser, HttpMethod.Post, "/api/projects", new { key = NewKey(), name = "x" }, csrf: theirs);

        await ProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task ABearerWrite_NeedsNoCsrfToken_EvenBesideASessionCookie()
    {
        var token = await NewTokenAsync("maintainer");
        var (browser, _) = await LoggedInAsync(token);

        var plain = await App.Client(token.Secret).PostAsJsonAsync("/api/projects", new { key = NewKey(), name = "bearer" });
        var beside = await SendAsync(browser, HttpMethod.Post, "/api/projects", new { key = NewKey(), name = "bearer and cookie" }, bearer: token.Secret);

        await AssertStatusAsync(HttpStatusCode.Created, plain);
        await AssertStatusAsync(HttpStatusCode.Created, beside);
    }

    [Fact]
    public async Task RevokingTheToken_EndsTheSession()
    {
        var token = await NewTokenAsync("viewer");
        var (browser, _) = await LoggedInAsync(token);
        await AssertStatusAsync(HttpStatusCode.OK, await browser.GetAsync("/api/projects"));

        await AssertStatusAsync(HttpStatusCode.NoContent, await Admin.DeleteAsync($"/api/tokens/{token.Id}"));
        var after = await browser.GetAsync("/api/projects");

        await ProblemAsync(after, HttpStatusCode.Unauthorized);
        Assert.True(SetCookie(after, SessionCookie).Expires < TimeProvider.System.GetUtcNow(), "the dead session's cookie is deleted");
        await ProblemAsync(await browser.GetAsync("/api/projects"), HttpStatusCode.Unauthorized);
        var ended = await App.DbAsync(db => db.AuditEvents.SingleAsync(e => e.Actor == token.Name && e.Action == "session.ended"));
        Assert.Contains("revoked", ended.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheTokensExpiry_EndsTheSession()
    {
        var token = await NewTokenAsync("viewer", TimeProvider.System.GetUtcNow().AddDays(30));
        var (browser, _) = await LoggedInAsync(token);
        // Move the expiry into the past in storage: the server's clock is not faked here.
        await App.DbAsync(db => db.ApiTokens.Where(t => t.Id == token.Id)
            .ExecuteUpdateAsync(set => set.SetProperty(t => t.ExpiresAt, TimeProvider.System.GetUtcNow().AddMinutes(-1))));

        await ProblemAsync(await browser.GetAsync("/api/projects"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Logout_EndsTheSession_AndNeedsTheCsrfToken()
    {
        var token = await NewTokenAsync("viewer");
        var (browser, csrf) = await LoggedInAsync(token);

        await ProblemAsync(await SendAsync(browser, HttpMethod.Delete, "/api/session"), HttpStatusCode.BadRequest);
        var logout = await SendAsync(browser, HttpMethod.Delete, "/api/session", csrf: csrf);

        await AssertStatusAsync(HttpStatusCode.NoContent, logout);
        Assert.True(SetCookie(logout, SessionCookie).Expires < TimeProvider.System.GetUtcNow(), "the session cookie is deleted");
        Assert.True(SetCookie(logout, ReadableCsrfCookie).Expires < TimeProvider.System.GetUtcNow(), "the readable token is deleted");
        await ProblemAsync(await browser.GetAsync("/api/projects"), HttpStatusCode.Unauthorized);
        var ended = await App.DbAsync(db => db.AuditEvents.SingleAsync(e => e.Actor == token.Name && e.Action == "session.ended"));
        Assert.Equal("logged out", ended.Details);
    }

    [Fact]
    public async Task AViewersSession_Gets403OnAWrite()
    {
        var token = await NewTokenAsync("viewer");
        var (browser, csrf) = await LoggedInAsync(token);
        var key = NewKey();

        var response = await SendAsync(browser, HttpMethod.Post, "/api/projects", new { key, name = "viewer's" }, csrf: csrf);

        var problem = await ProblemAsync(response, HttpStatusCode.Forbidden);
        Assert.Contains("viewer", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Null(response.Headers.Location);
        Assert.False(await App.DbAsync(db => db.Projects.AnyAsync(p => p.Key == key)));
        Assert.Equal(1, await App.DbAsync(db => db.AuditEvents.CountAsync(e => e.Actor == token.Name && e.Action == "auth.forbidden")));
    }

    [Fact]
    public async Task AWrongTokenAtLogin_Gets401_AndNoCookie()
    {
        var browser = Browser();

        var response = await SendAsync(browser, HttpMethod.Post, "/api/session", bearer: "not-a-real-token-0123456789abcdefghijklmnop");

        await ProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.False(response.Headers.Contains(HeaderNames.SetCookie), "no cookie for a refused token");
        await ProblemAsync(await browser.GetAsync("/api/projects"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task AnAgentToken_CannotLogIn()
    {
        var agent = await NewTokenAsync("agent");

        var response = await SendAsync(Browser(), HttpMethod.Post, "/api/session", bearer: agent.Secret);

        await ProblemAsync(response, HttpStatusCode.Forbidden);
        Assert.False(response.Headers.Contains(HeaderNames.SetCookie), "no cookie for an agent token");
    }

    [Fact]
    public async Task WithoutCredentials_TheAnswerIsTheBearerSchemes401()
    {
        var response = await Browser().GetAsync("/api/session");

        var problem = await ProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Contains("Authorization: Bearer", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private sealed record Token(long Id, string Name, string Secret);

    private async Task<Token> NewTokenAsync(string role, DateTimeOffset? expiresAt = null)
    {
        var name = $"{role}-{Guid.NewGuid():N}";
        var response = await Admin.PostAsJsonAsync("/api/tokens", new { name, role, expiresAt });
        await AssertStatusAsync(HttpStatusCode.Created, response);
        var created = await JsonAsync(response);
        return new Token(created.GetProperty("token").GetProperty("id").GetInt64(), name, created.GetProperty("secret").GetString()!);
    }

    /// <summary>A browser: keeps cookies, follows no redirects, sends no Authorization header of its own.</summary>
    private HttpClient Browser() => App.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false });

    /// <summary>A browser logged in with <paramref name="token"/>, and the CSRF token its writes send.</summary>
    private async Task<(HttpClient Browser, string Csrf)> LoggedInAsync(Token token)
    {
        var browser = Browser();
        var response = await SendAsync(browser, HttpMethod.Post, "/api/session", bearer: token.Secret);
        await AssertStatusAsync(HttpStatusCode.OK, response);
        return (browser, (await JsonAsync(response)).GetProperty("csrfToken").GetString()!);
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, object? body = null,
        string? csrf = null, string? bearer = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        if (csrf is not null)
        {
            request.Headers.Add(CsrfHeader, csrf);
        }
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }
        return await client.SendAsync(request);
    }

    private static SetCookieHeaderValue SetCookie(HttpResponseMessage response, string name)
    {
        var values = response.Headers.TryGetValues(HeaderNames.SetCookie, out var headers) ? headers.ToList() : [];
        return SetCookieHeaderValue.ParseList(values).SingleOrDefault(cookie => cookie.Name == name)
            ?? throw new Xunit.Sdk.XunitException($"no Set-Cookie for {name}: {string.Join(" | ", values)}");
    }
}
