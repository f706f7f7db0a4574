using System.Net.Http.Json;
using System.Text.Json;
using Baton.Server.Tests.Infrastructure;
using Baton.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Baton.Server.Tests.Features.Plans;

/// <summary>Another server process's view: the same PostgreSQL database as another replica.</summary>
public sealed class ReplicaApplication(string connectionString) : BatonApplication
{
    public override string Provider => "postgres";

    protected override IReadOnlyDictionary<string, string?> StorageSettings() => new Dictionary<string, string?>
    {
        ["Storage:Provider"] = "postgres",
        ["Storage:ConnectionString"] = connectionString,
    };
}

/// <summary>Two replicas on one PostgreSQL database, their schedulers racing for the same plan.</summary>
public sealed class TwoReplicasTests : IAsyncLifetime, IDisposable
{
    private string _database = "";
    private ReplicaApplication _a = null!;
    private ReplicaApplication _b = null!;

    public async Task InitializeAsync()
    {
        _database = await PostgresTestServer.CreateDatabaseAsync("baton_replicas");
        _a = new ReplicaApplication(_database);
        _b = new ReplicaApplication(_database);
        // Start one first: it migrates; the second finds the schema up to date.
        _ = _a.Services;
        _ = _b.Services;
    }

    public void Dispose()
    {
        _a.Dispose();
        _b.Dispose();
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        await PostgresTestServer.DropDatabaseAsync(_database);
    }

    [Fact]
    public async Task TwoReplicas_NeverStartTheSamePlanItemTwice()
    {
        const int Items = 40;
        var admin = _a.Client();
        var key = "r" + Guid.NewGuid().ToString("N")[..10];
        (await admin.PostAsJsonAsync("/api/projects", new { key, name = key })).EnsureSuccessStatusCode();
        for (var i = 0; i < Items; i++)
        {
            // A label no agent has: the runs stay queued, so only the schedulers act.
            await admin.RunnableAsync(key, new { title = $"item {i}", labels = new[] { "nobody-" + key } });
        }

        var plan = await (await _b.Client().PostAsJsonAsync($"/api/projects/{key}/plans", new { })).Content.ReadFromJsonAsync<JsonElement>();
        var id = plan.GetProperty("id").GetInt64();
        var ticks = Enumerable.Range(0, 10).SelectMany(_ => new[] { _a, _b }).Select(app => app.Client().PostAsync("/api/scheduler/tick", null));
        await Task.WhenAll(ticks);
        await Eventually.TrueAsync(async () =>
        {
            var current = await admin.GetFromJsonAsync<JsonElement>($"/api/plans/{id}");
            return current.GetProperty("items").EnumerateArray().All(i => i.GetProperty("status").GetString() == "started");
        }, TimeSpan.FromSeconds(60), "every item to start");

        var runs = await _a.DbAsync(db => db.Runs.Where(r => db.Projects.Any(p => p.Id == r.ProjectId && p.Key == key))
            .Select(r => new { r.Id, r.WorkItemId }).ToListAsync());
        var items = await _a.DbAsync(db => db.PlanItems.Where(i => i.PlanId == id).Select(i => new { i.WorkItemId, i.RunId }).ToListAsync());
        Assert.Equal(Items, runs.Count);
        Assert.Equal(Items, runs.Select(r => r.WorkItemId).Distinct().Count());
        Assert.Equal(runs.Select(r => (long?)r.Id).Order(), items.Select(i => i.RunId).Order());
    }
}
