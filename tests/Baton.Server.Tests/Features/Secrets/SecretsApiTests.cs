using System.Net;
using System.Net.Http.Json;
using System.Text;
using Baton.Contracts.Agents;
using Baton.Contracts.Json;
using Baton.Core.Access;
using Baton.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Baton.Server.Tests.Features.Secrets;

public sealed class SqliteSecretsApiTests(SqliteApplication app) : SecretsApiTests<SqliteApplication>(app);

public sealed class PostgresSecretsApiTests(PostgresApplication app) : SecretsApiTests<PostgresApplication>(app);

/// <summary>Secrets through the API: write-only, encrypted at rest, handed to runs, masked on the way in.</summary>
public abstract class SecretsApiTests<TApp>(TApp app) : ApiTestBase<TApp>(app) where TApp : BatonApplication
{
    private const string Value = "s3cr3t-Value-0f-the-t3st";

    [Fact]
    public async Task ASecret_IsWriteOnly_ReplacedAndDeleted_AndAuditedWithoutItsValue()
    {
        var key = await CreateProjectAsync();

        var created = await Admin.PutAsJsonAsync($"/api/projects/{key}/secrets/DEPLOY_TOKEN", new { value = Value });
        var replaced = await Admin.PutAsJsonAsync($"/api/projects/{key}/secrets/DEPLOY_TOKEN", new { value = Value + "-2" });
        var one = await Admin.GetAsync($"/api/projects/{key}/secrets/DEPLOY_TOKEN");
        var list = await Admin.GetAsync($"/api/projects/{key}/secrets");

        await AssertStatusAsync(HttpStatusCode.Created, created);
        Assert.Equal($"/api/projects/{key}/secrets/DEPLOY_TOKEN", created.Headers.Location?.OriginalString);
        await AssertStatusAsync(HttpStatusCode.OK, replaced);
        foreach (var answer in new[] { created, replaced, one, list })
        {
            Assert.DoesNotContain("s3cr3t", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        var item = (await JsonAsync(list)).GetProperty("items").EnumerateArray().Single();
        Assert.Equal("DEPLOY_TOKEN", item.GetProperty("name").GetString());
        Assert.False(item.TryGetProperty("value", out _));
        Assert.True(item.GetProperty("updatedAt").GetDateTimeOffset() >= item.GetProperty("createdAt").GetDateTimeOffset());

        await AssertStatusAsync(HttpStatusCode.NoContent, await Admin.DeleteAsync($"/api/projects/{key}/secrets/DEPLOY_TOKEN"));
        await ProblemAsync(await Admin.GetAsync($"/api/projects/{key}/secrets/DEPLOY_TOKEN"), HttpStatusCode.NotFound);
        await ProblemAsync(await Admin.DeleteAsync($"/api/projects/{key}/secrets/DEPLOY_TOKEN"), HttpStatusCode.NotFound);
        var actions = await App.DbAsync(db => db.AuditEvents.Where(a => a.Subject == $"project:{key}/secret:DEPLOY_TOKEN")
            .OrderBy(a => a.Id).Select(a => a.Action + " " + a.Details).ToListAsync());
        Assert.Equal(["secret.created", "secret.replaced", "secret.deleted"], actions.Select(a => a.Split(' ')[0]));
        Assert.DoesNotContain(actions, a => a.Contains("s3cr3t", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StoredValues_AreEncrypted_AndBoundToTheirName()
    {
        var key = await CreateProjectAsync();
        await AssertStatusAsync(HttpStatusCode.Created, await Admin.PutAsJsonAsync($"/api/projects/{key}/secrets/API_KEY", new { value = Value }));

        var stored = await App.DbAsync(db => db.ProjectSecrets.AsNoTracking().Where(s => s.Name == "API_KEY")
            .Join(db.Projects.Where(p => p.Key == key), s => s.ProjectId, p => p.Id, (s, _) => s.ProtectedValue).SingleAsync());

        Assert.DoesNotContain(Value, stored, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(Value)), stored, StringComparison.Ordinal);
        var vault = App.Services.GetRequiredService<Baton.Server.Features.Secrets.SecretVault>();
        var projectId = await App.DbAsync(db => db.Projects.Where(p => p.Key == key).Select(p => p.Id).SingleAsync());
        Assert.Equal(Value, (await App.DbAsync<IReadOnlyDictionary<string, string>>(db => vault.ReadAllAsync(db, projectId, CancellationToken.None)))["API_KEY"]);
        // The same ciphertext under another name does not decrypt: a row swapped in the database reveals nothing.
        await App.DbAsync(db => db.ProjectSecrets.Where(s => s.ProjectId == projectId)
            .ExecuteUpdateAsync(set => set.SetProperty(s => s.Name, "OTHER_NAME")));
        Assert.Empty(await App.DbAsync<IReadOnlyDictionary<string, string>>(db => vault.ReadAllAsync(db, projectId, CancellationToken.None)));
    }

    [Theory]
    [InlineData("SHORT", "abcde", "value")]
    [InlineData("lower_case", Value, "name")]
    [InlineData("1STARTS_WITH_DIGIT", Value, "name")]
    [InlineData("LD_PRELOAD", Value, "name")]
    [InlineData("BATON_RUN_ID", Value, "name")]
    public async Task BadNamesAndShortValues_AreRefused_NamingTheField(string name, string value, string field)
    {
        var key = await CreateProjectAsync();

        var problem = await ProblemAsync(await Admin.PutAsJsonAsync($"/api/projects/{key}/secrets/{name}", new { value }), HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Equal(0, await App.DbAsync(db => db.ProjectSecrets.CountAsync(s => s.Name == name)));
    }

    [Fact]
    public async Task AViewer_SeesNamesButMayNotSetSecrets()
    {
        var key = await CreateProjectAsync();
        var viewer = App.Client(await App.TokenAsync(Role.Viewer));

        await ProblemAsync(await viewer.PutAsJsonAsync($"/api/projects/{key}/secrets/API_KEY", new { value = Value }), HttpStatusCode.Forbidden);
        await AssertStatusAsync(HttpStatusCode.OK, await viewer.GetAsync($"/api/projects/{key}/secrets"));
        await ProblemAsync(await Admin.PutAsJsonAsync("/api/projects/no-such-project/secrets/API_KEY", new { value = Value }), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AClaim_CarriesTheProjectsSecrets_AndTheServerMasksLinesAnOldAgentSendsUnmasked()
    {
        var label = "s" + Guid.NewGuid().ToString("N")[..10];
        var key = await CreateProjectAsync();
        await AssertStatusAsync(HttpStatusCode.Created, await Admin.PutAsJsonAsync($"/api/projects/{key}/secrets/API_KEY", new { value = Value }));
        var item = await Admin.RunnableAsync(key, new { title = "uses a secret", labels = new[] { label } });
        var runId = await Admin.StartRunAsync(key, item);
        var agent = await App.AgentClientAsync();

        var claimed = (await agent.ClaimAsync(await agent.RegisterAsync("secretive-" + label, [label])))!;
        var base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(Value));
        var lines = new[] { $"token={Value}", $"encoded {base64}", "nothing here" }
            .Select((text, i) => new LogBatchLine(i + 1, TimeProvider.System.GetUtcNow(), 0, LogSourceName.Stdout, text)).ToList();
        await AssertStatusAsync(HttpStatusCode.OK, await agent.PostAsJsonAsync($"/api/runs/{runId}/logs", new LogBatch(claimed.Epoch, 1, lines), BatonJson.Options));

        Assert.Equal(Value, claimed.Secrets["API_KEY"]);
        var text = await Admin.GetStringAsync($"/api/runs/{runId}/logs?format=text");
        Assert.Equal("token=***\nencoded ***\nnothing here\n", text);
    }

    [Fact]
    public async Task AMultiLineSecret_IsMaskedLineByLine_WhenItsLinesArriveInTwoBatches()
    {
        var label = "m" + Guid.NewGuid().ToString("N")[..10];
        var key = await CreateProjectAsync();
        const string pem = "-----BEGIN TEST KEY-----\nMIIBOgIBAAJBAKj34GkxFhD\n-----END TEST KEY-----";
        await AssertStatusAsync(HttpStatusCode.Created, await Admin.PutAsJsonAsync($"/api/projects/{key}/secrets/SIGNING_KEY", new { value = pem }));
        var item = await Admin.RunnableAsync(key, new { title = "prints a key", labels = new[] { label } });
        var runId = await Admin.StartRunAsync(key, item);
        var agent = await App.AgentClientAsync();
        var claimed = (await agent.ClaimAsync(await agent.RegisterAsync("pem-" + label, [label])))!;
        var now = TimeProvider.System.GetUtcNow();
        var pemLines = pem.Split('\n');

        var first = new LogBatch(claimed.Epoch, 1, [new LogBatchLine(1, now, 0, LogSourceName.Stdout, "key: " + pemLines[0])]);
        var second = new LogBatch(claimed.Epoch, 2,
            [new LogBatchLine(2, now, 0, LogSourceName.Stdout, pemLines[1]), new LogBatchLine(3, now, 0, LogSourceName.Stdout, pemLines[2] + " done")]);
        await AssertStatusAsync(HttpStatusCode.OK, await agent.PostAsJsonAsync($"/api/runs/{runId}/logs", first, BatonJson.Options));
        await AssertStatusAsync(HttpStatusCode.OK, await agent.PostAsJsonAsync($"/api/runs/{runId}/logs", second, BatonJson.Options));

        Assert.Equal("key: ***\n***\n*** done\n", await Admin.GetStringAsync($"/api/runs/{runId}/logs?format=text"));
    }
}
