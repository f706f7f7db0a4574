using System.Net;
using System.Text;
using Baton.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Baton.Server.Tests.Infrastructure.Fuzzing;

public sealed class SqliteRequestTextTests(SqliteApplication app) : RequestTextTests<SqliteApplication>(app);

public sealed class PostgresRequestTextTests(PostgresApplication app) : RequestTextTests<PostgresApplication>(app);

/// <summary>Text that storage cannot hold is refused at the door, naming the field, and nothing is stored.</summary>
public abstract class RequestTextTests<TApp>(TApp app) : ApiTestBase<TApp>(app) where TApp : BatonApplication
{
    private async Task<string> RefusedFieldAsync(string path, string json, HttpMethod? method = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method ?? HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, contentType) };
        var problem = await ProblemAsync(await Admin.SendAsync(request), HttpStatusCode.BadRequest);
        return problem.TryGetProperty("field", out var field) ? field.GetString()! : problem.GetProperty("errors").EnumerateObject().First().Name;
    }

    [Fact]
    public async Task NulCharacters_AndNullsInListsOfText_Are400sNamingTheField()
    {
        var key = NewKey();

        Assert.Equal("description", await RefusedFieldAsync("/api/projects", $$"""{"key":"{{key}}","name":"n","description":"a\u0000b"}"""));
        Assert.Equal(0, await App.DbAsync(db => db.Projects.CountAsync(p => p.Key == key)));
        var project = await CreateProjectAsync();
        Assert.StartsWith("labels", await RefusedFieldAsync($"/api/projects/{project}/work-items", """{"title":"t","labels":["ok",null]}"""), StringComparison.Ordinal);
        Assert.StartsWith("dependsOn", await RefusedFieldAsync($"/api/projects/{project}/work-items", """{"title":"t","dependsOn":["WI-\u0000"]}"""), StringComparison.Ordinal);
        Assert.Equal("title", await RefusedFieldAsync($"/api/projects/{project}/requirements", """{"title":"\u0000"}"""));
        Assert.Equal(0, await App.DbAsync(db => db.WorkItems.CountAsync(w => db.Projects.Any(p => p.Id == w.ProjectId && p.Key == project))));
        Assert.Equal(0, await App.DbAsync(db => db.Requirements.CountAsync(r => db.Projects.Any(p => p.Id == r.ProjectId && p.Key == project))));
    }

    [Fact]
    public async Task ARecipeWithANulCharacter_IsRefusedWithItsLineAndColumn()
    {
        var project = await CreateProjectAsync();
        var item = await Admin.WorkItemAsync(project, null);

        using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/projects/{project}/work-items/{item}/recipe")
        {
            Content = new StringContent("steps:\n  - name: a\n    run: ec\0ho\n", Encoding.UTF8, "application/yaml"),
        };
        var problem = await ProblemAsync(await Admin.SendAsync(request), HttpStatusCode.BadRequest);

        Assert.Equal("line 3, column 12: a recipe may not contain NUL (\\0) characters",
            Assert.Single(problem.GetProperty("errors").GetProperty("recipe").EnumerateArray()).GetString());
        Assert.Equal(0, await App.DbAsync(db => db.RecipeVersions.CountAsync(r => db.WorkItems.Any(w => w.Id == r.WorkItemId
            && db.Projects.Any(p => p.Id == w.ProjectId && p.Key == project)))));
    }
}
