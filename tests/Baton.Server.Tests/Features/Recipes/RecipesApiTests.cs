using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Baton.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Baton.Server.Tests.Features.Recipes;

public sealed class SqliteRecipesApiTests(SqliteApplication app) : RecipesApiTests<SqliteApplication>(app);

public sealed class PostgresRecipesApiTests(PostgresApplication app) : RecipesApiTests<PostgresApplication>(app);

public abstract class RecipesApiTests<TApp>(TApp app) : ApiTestBase<TApp>(app) where TApp : BatonApplication
{
    /// <summary>Comments, odd spacing, a block scalar and non-ASCII text: all must come back byte for byte.</summary>
    private const string Written = "# deploy the shop   \nname:   deploy   # é ✓\nsteps:\n  - name: ship\n    run: |\n      echo \"déploiement ✓\"\n\n      echo done\n    timeout: 90s\n";

    private static StringContent Yaml(string text, string mediaType = "application/yaml") => new(text, Encoding.UTF8, mediaType);

    private async Task<string> ItemAsync(string key) => await Admin.WorkItemAsync(key);

    private Task<int> VersionsStoredAsync(string key) => App.DbAsync(db =>
        db.RecipeVersions.CountAsync(r => db.WorkItems.Any(w => w.Id == r.WorkItemId && db.Projects.Any(p => p.Id == w.ProjectId && p.Key == key))));

    private async Task<string> GetYamlAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/yaml"));
        var response = await Admin.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/yaml", response.Content.Headers.ContentType?.MediaType);
        return Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Put_StoresVersionOne_AndGetAnswersTheYamlByteForByte()
    {
        var key = await CreateProjectAsync();
        var item = await ItemAsync(key);
        var path = $"/api/projects/{key}/work-items/{item}/recipe";

        var response = await Admin.PutAsync(path, Yaml(Written));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await JsonAsync(response);
        Assert.Equal(1, body.GetProperty("version").GetInt32());
        Assert.Matches("^sha256:[0-9a-f]{64}$", body.GetProperty("contentHash").GetString());
        Assert.Equal(Written, await GetYamlAsync(path));
        var parsed = await JsonAsync(await Admin.GetAsync(path));
        var step = parsed.GetProperty("recipe").GetProperty("steps")[0];
        Assert.Equal("echo \"déploiement ✓\"\n\necho done\n", step.GetProperty("run").GetString());
        Assert.Equal(body.GetProperty("contentHash").GetString(), parsed.GetProperty("contentHash").GetString());
        Assert.Equal(1, (await JsonAsync(await Admin.GetAsync($"/api/projects/{key}/work-items/{item}"))).GetProperty("recipeVersion").GetInt32());
    }

    [Fact]
    public async Task Put_SameContentKeepsTheVersion_ChangedContentMakesANewOne()
    {
        var key = await CreateProjectAsync();
        var item = await ItemAsync(key);
        var path = $"/api/projects/{key}/work-items/{item}/recipe";
        await Admin.PutAsync(path, Yaml(Written));

        var same = await Admin.PutAsync(path, Yaml(Written));
        var changed = await Admin.PutAsync(path, Yaml(Written + "# v2\n"));

        Assert.Equal(HttpStatusCode.OK, same.StatusCode);
        Assert.Equal(1, (await JsonAsync(same)).GetProperty("version").GetInt32());
        Assert.Equal(HttpStatusCode.Created, changed.StatusCode);
        Assert.Equal(2, (await JsonAsync(changed)).GetProperty("version").GetInt32());
        Assert.Equal(Written, await GetYamlAsync(path + "?version=1"));
        Assert.Equal(Written + "# v2\n", await GetYamlAsync(path));
        Assert.Equal(2, await VersionsStoredAsync(key));
    }

    [Theory]
    [InlineData("steps:\n  - run: a\n    colour: red\n", "line 3, column 5")]
    [InlineData("steps:\n  - run: a\n    timeout: soon\n", "line 3, column 14")]
    [InlineData("cwd: ../outside\nsteps:\n  - run: a\n", "line 1, column 6")]
    [InlineData("a: &a [1]\nb: *a\nsteps:\n  - run: a\n", "line 1, column 4")]
    [InlineData("env: { LD_PRELOAD: x }\nsteps:\n  - run: a\n", "line 1, column 8")]
    public async Task Put_AnswersBadRequest_WithLineAndColumn_AndStoresNothing(string yaml, string position)
    {
        var key = await CreateProjectAsync();
        var item = await ItemAsync(key);

        var problem = await ProblemAsync(await Admin.PutAsync($"/api/projects/{key}/work-items/{item}/recipe", Yaml(yaml)), HttpStatusCode.BadRequest);

        Assert.Contains(position, problem.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, await VersionsStoredAsync(key));
    }

    [Fact]
    public async Task Put_RefusesDeepNesting_AndOversizedBodies()
    {
        var key = await CreateProjectAsync();
        var path = $"/api/projects/{key}/work-items/{await ItemAsync(key)}/recipe";

        await ProblemAsync(await Admin.PutAsync(path, Yaml("steps: " + new string('[', 10_000) + new string(']', 10_000))), HttpStatusCode.BadRequest);
        await ProblemAsync(await Admin.PutAsync(path, Yaml("# " + new string('x', 300 * 1024))), HttpStatusCode.RequestEntityTooLarge);
        await ProblemAsync(await Admin.PutAsync(path, Yaml("steps:\n  - run: a\n", "application/json")), HttpStatusCode.UnsupportedMediaType);
        Assert.Equal(0, await VersionsStoredAsync(key));
    }

    [Theory]
    [InlineData("application/x-yaml")]
    [InlineData("text/yaml")]
    [InlineData("text/x-yaml")]
    [InlineData("text/plain")]
    public async Task Put_TakesEveryYamlMediaType(string mediaType)
    {
        var key = await CreateProjectAsync();
        var path = $"/api/projects/{key}/work-items/{await ItemAsync(key)}/recipe";

        var response = await Admin.PutAsync(path, Yaml("steps:\n  - name: a\n    run: echo a\n", mediaType));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(1, await VersionsStoredAsync(key));
    }

    [Fact]
    public async Task Get_AnswersNotFound_WithoutARecipe_OrForAnUnknownVersion()
    {
        var key = await CreateProjectAsync();
        var path = $"/api/projects/{key}/work-items/{await ItemAsync(key)}/recipe";

        await ProblemAsync(await Admin.GetAsync(path), HttpStatusCode.NotFound);
        await Admin.PutAsync(path, Yaml(Written));
        await ProblemAsync(await Admin.GetAsync(path + "?version=5"), HttpStatusCode.NotFound);
        await ProblemAsync(await Admin.PutAsync($"/api/projects/{key}/work-items/WI-99/recipe", Yaml(Written)), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Validate_ReportsEveryError_WithoutStoring()
    {
        var valid = await JsonAsync(await Admin.PostAsync("/api/recipes/validate", Yaml(Written)));
        var invalid = await JsonAsync(await Admin.PostAsync("/api/recipes/validate", Yaml("timeout: soon\nsteps:\n  - name: x\n    bogus: 1\n")));

        Assert.True(valid.GetProperty("valid").GetBoolean());
        Assert.Equal("deploy", valid.GetProperty("recipe").GetProperty("name").GetString());
        Assert.StartsWith("sha256:", valid.GetProperty("contentHash").GetString(), StringComparison.Ordinal);
        Assert.False(invalid.GetProperty("valid").GetBoolean());
        var errors = invalid.GetProperty("errors").EnumerateArray().ToList();
        Assert.Equal(["invalid_duration", "missing_key", "unknown_key"], errors.Select(e => e.GetProperty("kind").GetString()).Order());
        Assert.All(errors, e => Assert.True(e.GetProperty("line").GetInt32() > 0 && e.GetProperty("column").GetInt32() > 0));
        await ProblemAsync(await Admin.PostAsync("/api/recipes/validate", Yaml(new string('#', 300 * 1024))), HttpStatusCode.RequestEntityTooLarge);
    }
}
