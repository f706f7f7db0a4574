using System.Net;
using System.Net.Http.Json;
using System.Text;
using Baton.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Baton.Server.Tests.Features.Concurrency;

public sealed class SqliteConcurrentWritesTests(SqliteApplication app) : ConcurrentWritesTests<SqliteApplication>(app);

public sealed class PostgresConcurrentWritesTests(PostgresApplication app) : ConcurrentWritesTests<PostgresApplication>(app);

/// <summary>Numbered things stay dense and distinct when many clients write at once.</summary>
public abstract class ConcurrentWritesTests<TApp>(TApp app) : ApiTestBase<TApp>(app) where TApp : BatonApplication
{
    private const int Writers = 12;

    [Fact]
    public async Task VisionSubmissions_AtOnce_AllSucceed_WithVersionsOneToN()
    {
        var key = await CreateProjectAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, Writers).Select(i =>
            App.Client().PutAsJsonAsync($"/api/projects/{key}/vision", new { text = $"vision {i}" })));

        Assert.All(responses, response => Assert.Equal(HttpStatusCode.Created, response.StatusCode));
        var versions = await App.DbAsync(db => db.VisionVersions
            .Join(db.Projects.Where(p => p.Key == key), v => v.ProjectId, p => p.Id, (v, _) => v.Version)
            .OrderBy(v => v).ToListAsync());
        Assert.Equal(Enumerable.Range(1, Writers), versions);
    }

    [Fact]
    public async Task RecipePuts_AtOnce_AllSucceed_WithVersionsOneToN()
    {
        var key = await CreateProjectAsync();
        Assert.Equal(HttpStatusCode.Created, (await Admin.PostAsJsonAsync($"/api/projects/{key}/work-items", new { title = "Build" })).StatusCode);

        var responses = await Task.WhenAll(Enumerable.Range(0, Writers).Select(i =>
            App.Client().PutAsync($"/api/projects/{key}/work-items/WI-1/recipe",
                new StringContent($"steps:\n  - run: echo {i}\n", Encoding.UTF8, "application/yaml"))));

        Assert.All(responses, response => Assert.Equal(HttpStatusCode.Created, response.StatusCode));
        var stored = await App.DbAsync(async db =>
        {
            var item = await db.WorkItems.Join(db.Projects.Where(p => p.Key == key), w => w.ProjectId, p => p.Id, (w, _) => w).SingleAsync();
            var versions = await db.RecipeVersions.Where(r => r.WorkItemId == item.Id).OrderBy(r => r.Version).Select(r => r.Version).ToListAsync();
            return (item.RecipeVersion, versions);
        });
        Assert.Equal(Enumerable.Range(1, Writers), stored.versions);
        Assert.Equal(Writers, stored.RecipeVersion);
    }

    [Fact]
    public async Task WorkItemCreations_AtOnce_GetDistinctDenseKeys()
    {
        var key = await CreateProjectAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, Writers).Select(i =>
            App.Client().PostAsJsonAsync($"/api/projects/{key}/work-items", new { title = $"item {i}" })));

        Assert.All(responses, response => Assert.Equal(HttpStatusCode.Created, response.StatusCode));
        var keys = new List<string>();
        foreach (var response in responses)
        {
            keys.Add((await JsonAsync(response)).GetProperty("key").GetString()!);
        }
        Assert.Equal(Enumerable.Range(1, Writers).Select(n => $"WI-{n}"), keys.OrderBy(k => int.Parse(k[3..], System.Globalization.CultureInfo.InvariantCulture)));
    }
}
