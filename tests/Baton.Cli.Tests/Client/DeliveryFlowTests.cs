using System.Globalization;
using System.Text.Json;

namespace Baton.Cli.Tests.Client;

/// <summary>The whole path from vision to run through the CLI alone, as a person at a terminal would walk it.</summary>
[Collection(ClientTestGroup.Name)]
public sealed class DeliveryFlowTests(ClientServer server) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("baton-cli-flow-").FullName;

    private string File(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public async Task VisionToRun_ThroughTheCliAlone()
    {
        var project = await server.ProjectAsync();
        var shell = server.Shell(project);
        const string recipe = "# build it\nsteps:\n  - name: build\n    run: echo \"building $BATON_WORK_ITEM\"\n";
        var recipeFile = File("build.yml", recipe);

        await Ok(shell.RunAsync("vision", "set", File("vision.md", "Ship small things often.\n")));
        await Ok(shell.RunAsync("requirements", "propose", "--title", "Builds are reproducible", "--criterion", "two builds match"));
        await Ok(shell.RunAsync("requirements", "approve", "REQ-1", "--comment", "yes"));
        await Ok(shell.RunAsync("work-items", "create", "--title", "Build", "--requirement", "REQ-1"));
        var set = await Ok(shell.RunAsync("work-items", "recipe", "set", "WI-1", recipeFile));
        var unchanged = await Ok(shell.RunAsync("work-items", "recipe", "set", "WI-1", recipeFile));
        var yaml = await Ok(shell.RunAsync("work-items", "recipe", "get", "WI-1"));
        var run = await Ok(shell.RunAsync("run", "WI-1", "--follow"));
        var list = await Ok(shell.RunAsync("runs", "list"));
        var ofItem = await Ok(shell.RunAsync("runs", "list", "--work-item", "WI-1", "-o", "json"));
        var vision = await Ok(shell.RunAsync("vision", "show"));

        Assert.Contains("recipe version 1 stored", set.Stdout);
        Assert.Contains("unchanged", unchanged.Stdout);
        Assert.Equal(recipe, yaml.Stdout.TrimEnd('\n') + "\n");
        Assert.Equal("building WI-1", run.Stdout.Trim());
        Assert.Contains("WI-1", list.Stdout);
        Assert.Contains("succeeded", list.Stdout);
        Assert.Equal(["WI-1"], ofItem.Json().GetProperty("items").EnumerateArray().Select(r => r.GetProperty("workItem").GetString()));
        Assert.Equal("Ship small things often.", vision.Stdout.Trim());
        var stored = await server.GetAsync($"/api/projects/{project}/work-items/WI-1");
        Assert.Equal(["REQ-1"], stored.GetProperty("requirements").EnumerateArray().Select(r => r.GetString()));
    }

    /// <summary>Every client command with --output json prints exactly one JSON document on stdout, so scripts can parse it.</summary>
    [Fact]
    public async Task EveryCommand_WithJsonOutput_PrintsOneParseableDocument()
    {
        var project = await server.ProjectAsync();
        var shell = server.Shell(project);
        var recipeFile = File("ok.yml", "steps:\n  - name: ok\n    run: echo ok\n");
        var visionFile = File("vision.md", "A vision.\n");
        var checks = new List<(string[] Arguments, Func<JsonElement, bool> Holds)>
        {
            (["whoami"], j => j.GetProperty("role").GetString() == "admin"),
            (["projects", "list", "--limit", "200"], j => j.GetProperty("items").GetArrayLength() > 0),
            (["projects", "show", project], j => j.GetProperty("key").GetString() == project),
            (["projects", "create", project + "-b", "--name", "B"], j => j.GetProperty("key").GetString() == project + "-b"),
            (["vision", "set", visionFile], j => j.GetProperty("version").GetInt32() == 1),
            (["vision", "show"], j => j.GetProperty("text").GetString() == "A vision.\n"),
            (["vision", "history"], j => j.ValueKind is JsonValueKind.Object or JsonValueKind.Array),
            (["requirements", "propose", "--title", "R"], j => j.GetProperty("key").GetString() == "REQ-1"),
            (["requirements", "propose", "--title", "S"], j => j.GetProperty("key").GetString() == "REQ-2"),
            (["requirements", "approve", "REQ-1"], j => j.GetProperty("status").GetString() == "approved"),
            (["requirements", "reject", "REQ-2", "--reason", "no"], j => j.GetProperty("status").GetString() == "rejected"),
            (["requirements", "list"], j => j.GetProperty("items").GetArrayLength() == 2),
            (["requirements", "show", "REQ-1"], j => j.GetProperty("key").GetString() == "REQ-1"),
            (["work-items", "create", "--title", "W", "--requirement", "REQ-1"], j => j.GetProperty("key").GetString() == "WI-1"),
            (["work-items", "list"], j => j.GetProperty("items").GetArrayLength() == 1),
            (["work-items", "show", "WI-1"], j => j.GetProperty("key").GetString() == "WI-1"),
            (["work-items", "recipe", "set", "WI-1", recipeFile], j => j.GetProperty("version").GetInt32() == 1),
            (["work-items", "recipe", "get", "WI-1"], j => j.GetProperty("recipe").GetProperty("steps").GetArrayLength() == 1),
            (["recipe", "validate", recipeFile], j => j.GetProperty("valid").GetBoolean()),
            (["run", "WI-1", "--follow"], j => j.GetProperty("status").GetString() == "succeeded"),
            (["exec", recipeFile, "--follow"], j => j.GetProperty("workItem").GetString() == "WI-0"),
            (["runs", "list"], j => j.GetProperty("items").GetArrayLength() == 2),
            (["plans", "create", "--work-item", "WI-1", "--follow"], j => j.GetProperty("status").GetString() == "succeeded"),
            (["schedules", "create", "--cron", "0 3 * * *"], j => j.GetProperty("cron").GetString() == "0 3 * * *"),
            (["schedules", "list"], j => j.GetArrayLength() == 1),
            (["tokens", "create", "--name", "ci-" + project, "--role", "viewer"], j => j.GetProperty("secret").GetString()!.Length > 20),
            (["tokens", "list", "--limit", "200"], j => j.GetProperty("items").GetArrayLength() > 0),
            (["agents", "list"], j => j.GetArrayLength() > 0),
            (["queue"], j => j.GetProperty("items").ValueKind == JsonValueKind.Array),
        };
        foreach (var (arguments, holds) in checks)
        {
            var result = await shell.RunAsync([.. arguments, "--output", "json"]);
            Assert.True(result.ExitCode == 0, $"baton {string.Join(' ', arguments)}: {result}");
            Assert.True(holds(result.Json()), $"baton {string.Join(' ', arguments)} printed an unexpected document: {result.Stdout}");
        }

        // Commands that take an id from an earlier answer.
        var runId = (await server.GetAsync($"/api/runs?project={project}")).GetProperty("items")[0].GetProperty("id").GetInt64();
        var plan = await shell.RunAsync("plans", "create", "--work-item", "WI-1", "--output", "json");
        var planId = plan.Json().GetProperty("id").GetInt64();
        var scheduleId = (await server.GetAsync($"/api/projects/{project}/schedules"))[0].GetProperty("id").GetInt64();
        var tokenId = (await server.GetAsync("/api/tokens?limit=200")).GetProperty("items").EnumerateArray()
            .Single(t => t.GetProperty("name").GetString() == "ci-" + project).GetProperty("id").GetInt64();
        foreach (var arguments in new[]
        {
            new[] { "runs", "show", Id(runId) }, ["logs", Id(runId)], ["logs", Id(runId), "--follow"],
            ["plans", "show", Id(planId)], ["plans", "show", Id(planId), "--follow"], ["schedules", "pause", Id(scheduleId)], ["schedules", "resume", Id(scheduleId)], ["tokens", "revoke", Id(tokenId)],
            ["logout"],
        })
        {
            var result = await shell.RunAsync([.. arguments, "--output", "json"]);
            Assert.True(result.ExitCode == 0, $"baton {string.Join(' ', arguments)}: {result}");
            result.Json();
        }
    }

    [Fact]
    public async Task PlanFollow_ExitsOne_WhenAnItemFails_AndNamesIt()
    {
        var project = await server.ProjectAsync();
        var shell = server.Shell(project);
        await Ok(shell.RunAsync("work-items", "create", "--title", "Good"));
        await Ok(shell.RunAsync("work-items", "create", "--title", "Bad", "--depends-on", "WI-1"));
        await Ok(shell.RunAsync("work-items", "recipe", "set", "WI-1", File("good.yml", "steps:\n  - name: ok\n    run: echo ok\n")));
        await Ok(shell.RunAsync("work-items", "recipe", "set", "WI-2", File("bad.yml", "steps:\n  - name: no\n    run: exit 3\n")));

        var result = await shell.RunAsync("plans", "create", "--follow");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("WI-2", result.Stdout + result.Stderr);
        Assert.Contains("failed", result.Stdout + result.Stderr);
    }

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    private static async Task<CliResult> Ok(Task<CliResult> running)
    {
        var result = await running;
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
