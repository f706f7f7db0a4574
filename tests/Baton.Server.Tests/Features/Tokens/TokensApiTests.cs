using System.Net;
using System.Net.Http.Json;
using Baton.Core.Access;
using Baton.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Baton.Server.Tests.Features.Tokens;

public sealed class SqliteTokensApiTests(SqliteApplication app) : TokensApiTests<SqliteApplication>(app);

public sealed class PostgresTokensApiTests(PostgresApplication app) : TokensApiTests<PostgresApplication>(app);

public abstract class TokensApiTests<TApp>(TApp app) : ApiTestBase<TApp>(app) where TApp : BatonApplication
{
    [Fact]
    public async Task Create_ShowsTheSecretOnce_AndStoresOnlyItsHash()
    {
        var name = "ci-" + Guid.NewGuid().ToString("N")[..8];

        var response = await Admin.PostAsJsonAsync("/api/tokens", new { name, role = "maintainer", expiresAt = DateTimeOffset.Parse("2099-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture) });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await JsonAsync(response);
        var secret = body.GetProperty("secret").GetString()!;
        var id = body.GetProperty("token").GetProperty("id").GetInt64();
        Assert.Equal("maintainer", body.GetProperty("token").GetProperty("role").GetString());
        var stored = await App.DbAsync(db => db.ApiTokens.SingleAsync(t => t.Id == id));
        Assert.NotEqual(secret, stored.SecretHash);
        Assert.Equal(ApiTokenSecret.Hash(secret), stored.SecretHash);
        Assert.Equal(Role.Maintainer, stored.Role);

        var listed = await Admin.GetStringAsync("/api/tokens?limit=200");
        Assert.DoesNotContain(secret, listed, StringComparison.Ordinal);
        Assert.Contains(name, listed, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, (await App.Client(secret).PostAsJsonAsync("/api/projects", new { key = NewKey(), name = "x" })).StatusCode);
    }

    [Fact]
    public async Task Delete_RevokesTheTokenAtOnce()
    {
        var created = await JsonAsync(await Admin.PostAsJsonAsync("/api/tokens", new { name = "temp", role = "viewer" }));
        var secret = created.GetProperty("secret").GetString()!;
        var id = created.GetProperty("token").GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.OK, (await App.Client(secret).GetAsync("/api/projects")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await Admin.DeleteAsync($"/api/tokens/{id}")).StatusCode);

        await ProblemAsync(await App.Client(secret).GetAsync("/api/projects"), HttpStatusCode.Unauthorized);
        Assert.NotNull(await App.DbAsync(db => db.ApiTokens.Where(t => t.Id == id).Select(t => t.RevokedAt).SingleAsync()));
        await ProblemAsync(await Admin.DeleteAsync("/api/tokens/999999999"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Create_RefusesAnExpiryInThePast_AndAnUnknownRole()
    {
        var past = await Admin.PostAsJsonAsync("/api/tokens", new { name = "old", role = "viewer", expiresAt = "2001-01-01T00:00:00Z" });
        var problem = await ProblemAsync(past, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("expiresAt", out _));

        var role = await ProblemAsync(await Admin.PostAsJsonAsync("/api/tokens", new { name = "x", role = "superuser" }), HttpStatusCode.BadRequest);
        Assert.Contains("role", role.ToString(), StringComparison.Ordinal);
        Assert.False(await App.DbAsync(db => db.ApiTokens.AnyAsync(t => t.Name == "old")));
    }

    [Fact]
    public async Task OnlyAdmins_ManageTokens()
    {
        var maintainer = App.Client(await App.TokenAsync(Role.Maintainer));

        await ProblemAsync(await maintainer.PostAsJsonAsync("/api/tokens", new { name = "sneaky", role = "admin" }), HttpStatusCode.Forbidden);
        await ProblemAsync(await maintainer.GetAsync("/api/tokens"), HttpStatusCode.Forbidden);
        Assert.False(await App.DbAsync(db => db.ApiTokens.AnyAsync(t => t.Name == "sneaky")));
    }

    [Fact]
    public async Task AnExpiredToken_IsRefused()
    {
        var expires = DateTimeOffset.Parse("2099-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var created = await JsonAsync(await Admin.PostAsJsonAsync("/api/tokens", new { name = "soon", role = "viewer", expiresAt = expires }));
        var id = created.GetProperty("token").GetProperty("id").GetInt64();
        // Move the expiry into the past in storage: the clock of the server is not faked here.
        await App.DbAsync(db => db.ApiTokens.Where(t => t.Id == id)
            .ExecuteUpdateAsync(set => set.SetProperty(t => t.ExpiresAt, DateTimeOffset.Parse("2001-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture))));

        await ProblemAsync(await App.Client(created.GetProperty("secret").GetString()).GetAsync("/api/projects"), HttpStatusCode.Unauthorized);
    }
}
