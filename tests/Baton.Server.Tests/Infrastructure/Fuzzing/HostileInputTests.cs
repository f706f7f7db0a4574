using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Baton.Persistence;
using Baton.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Baton.Server.Tests.Infrastructure.Fuzzing;

/// <summary>This test is about input, not request budgets: the admin's bucket is made large enough for it.</summary>
public sealed class UnthrottledSqliteApplication : SqliteApplication
{
    public UnthrottledSqliteApplication() => Unthrottled(Settings);

    internal static void Unthrottled(Dictionary<string, string?> settings)
    {
        settings["RateLimits:PerTokenPerSecond"] = "1000000";
        settings["RateLimits:PerTokenBurst"] = "1000000";
    }
}

public sealed class UnthrottledPostgresApplication : PostgresApplication
{
    public UnthrottledPostgresApplication() => UnthrottledSqliteApplication.Unthrottled(Settings);
}

public sealed class SqliteHostileInputTests(UnthrottledSqliteApplication app) : HostileInputTests<UnthrottledSqliteApplication>(app);

public sealed class PostgresHostileInputTests(UnthrottledPostgresApplication app) : HostileInputTests<UnthrottledPostgresApplication>(app);

/// <summary>
/// 10,000 malformed JSON bodies and YAML recipes against the routes that create things: never a 5xx, and
/// exactly as many records as there were answers saying one was created (a refused request stores nothing).
/// </summary>
public abstract class HostileInputTests<TApp>(TApp app) : ApiTestBase<TApp>(app) where TApp : BatonApplication
{
    private const int Cases = 10_000;
    private const string Json = "application/json";
    private const string Yaml = "application/yaml";

    private sealed record Target(string Name, HttpMethod Method, string Path, string ContentType, Func<int, string> Valid,
        Func<BatonDbContext, Task<int>> Count);

    private static List<Target> Targets(string key)
    {
        async Task<long> ProjectId(BatonDbContext db) => await db.Projects.Where(p => p.Key == key).Select(p => p.Id).SingleAsync();
        return
        [
            new("project", HttpMethod.Post, "/api/projects", Json,
                n => $$$$"""{"key":"fz{{{{n}}}}-{{{{key}}}}","name":"Fuzz {{{{n}}}}","description":"d","policy":{"runApprovalRequired":false,"requiredApprovals":1,"selfApprovalAllowed":true,"defaultLabels":["linux"],"maxRunAttempts":2,"retry":{"exitCodes":[75],"attempts":1,"delaySeconds":5}}}""",
                db => db.Projects.CountAsync()),
            new("work item", HttpMethod.Post, $"/api/projects/{key}/work-items", Json,
                n => $$$"""{"title":"item {{{n}}}","description":"d","dependsOn":["WI-1"],"labels":["a","b"],"priority":5,"concurrency":{"group":"g","limit":2},"retry":{"exitCodes":[1,2],"attempts":1,"delaySeconds":1}}""",
                async db => { var id = await ProjectId(db); return await db.WorkItems.CountAsync(w => w.ProjectId == id); }),
            new("requirement", HttpMethod.Post, $"/api/projects/{key}/requirements", Json,
                n => $$"""{"title":"req {{n}}","description":"d","acceptanceCriteria":["works","fast"]}""",
                async db => { var id = await ProjectId(db); return await db.Requirements.CountAsync(r => r.ProjectId == id); }),
            new("recipe", HttpMethod.Put, $"/api/projects/{key}/work-items/WI-1/recipe", Yaml,
                n => $"env:\n  A: '1'\ntimeout: 10m\nsteps:\n  - name: build\n    run: echo {n}\n    timeout: 1m\n    env: {{ B: x }}\n  - name: test\n    run: 'true'\n    continue_on_error: true\n    retry: {{ attempts: 1, delay: 1s }}\n",
                db => db.RecipeVersions.CountAsync()),
            new("recipe check", HttpMethod.Post, "/api/recipes/validate", Yaml,
                n => $"steps:\n  - name: s{n}\n    run: make\n", _ => Task.FromResult(0)),
            new("plan", HttpMethod.Post, $"/api/projects/{key}/plans", Json,
                n => $$"""{"workItems":["WI-1"],"priority":{{n % 10}}}""",
                // Not the plans the fuzzed schedules below make when one fires during the test (their cron is 9:xx on weekdays).
                db => db.Plans.CountAsync(p => !p.RequestedBy.StartsWith("schedule:"))),
            new("schedule", HttpMethod.Post, $"/api/projects/{key}/schedules", Json,
                n => $$"""{"cron":"{{n % 60}} 9 * * 1-5","timeZone":"Europe/Paris","workItems":["WI-1"]}""",
                db => db.Schedules.CountAsync()),
            // One name: the first valid body creates the secret (201), later ones replace it (200), so created = stored.
            new("secret", HttpMethod.Put, $"/api/projects/{key}/secrets/FUZZ_SECRET", Json,
                n => $$"""{"value":"fuzz-value-{{n}}-with \"quotes\" and \u00e9"}""",
                async db => { var id = await ProjectId(db); return await db.ProjectSecrets.CountAsync(s => s.ProjectId == id); }),
            new("token", HttpMethod.Post, "/api/tokens", Json,
                n => $$"""{"name":"fuzz-{{n}}","role":"viewer","expiresAt":"2099-01-01T00:00:00Z"}""",
                db => db.ApiTokens.CountAsync()),
        ];
    }

    [Fact]
    public async Task TenThousandMalformedBodies_NeverGet5xx_AndStoreNothingWhenRefused()
    {
        var key = await CreateProjectAsync();
        var item = await Admin.RunnableAsync(key, new { title = "base" });
        Assert.Equal("WI-1", item);
        var targets = Targets(key);
        var before = new Dictionary<string, int>();
        foreach (var target in targets)
        {
            before[target.Name] = await App.DbAsync(target.Count);
        }
        var created = targets.ToDictionary(t => t.Name, _ => 0);
        var failures = new List<string>();
        var bodies = new HostileBodies(seed: 20261201);

        for (var n = 0; n < Cases; n++)
        {
            var target = targets[n % targets.Count];
            var body = target.ContentType == Json ? bodies.Json(target.Valid(n)) : bodies.Yaml(target.Valid(n));
            using var request = new HttpRequestMessage(target.Method, target.Path) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(target.ContentType);
            var response = await Admin.SendAsync(request);
            if ((int)response.StatusCode >= 500)
            {
                failures.Add($"case {n} ({target.Name}): {(int)response.StatusCode} for {Preview(body)}");
            }
            else if (response.StatusCode == HttpStatusCode.Created)
            {
                created[target.Name]++;
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} answers of 5xx, the first ones:\n" + string.Join("\n", failures.Take(12)));
        foreach (var target in targets.Where(t => t.Name != "recipe check"))
        {
            var stored = await App.DbAsync(target.Count) - before[target.Name];
            Assert.True(created[target.Name] == stored, $"{target.Name}: {created[target.Name]} created answers, {stored} records stored");
        }
        // The mutations leave some bodies valid: the count comparison above is not only of zeros.
        Assert.True(created.Values.Sum() > 0, "no mutated body was valid; the comparison would prove nothing");
    }

    private static string Preview(byte[] body)
    {
        var text = Encoding.UTF8.GetString(body);
        return text.Length > 300 ? string.Concat(text.AsSpan(0, 300), $"... ({body.Length.ToString(CultureInfo.InvariantCulture)} bytes)") : text;
    }
}
