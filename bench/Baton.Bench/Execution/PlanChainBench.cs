using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace Baton.Bench.Execution;

/// <summary>
/// A plan over a chain of work items (each depends on the one before, each one `true` step), one
/// agent: plan created to plan finished, server clock. Overhead per link subtracts what starting
/// the step's process costs bash. The stored timestamps of every run also say where a link's time
/// goes: from the previous run's end to this run's creation (the scheduler), creation to claim,
/// claim to the step's process starting (the agent), the process, and the step's end to the run's end.
/// </summary>
internal static class PlanChainBench
{
    private static readonly string[] BenchLabels = ["bench"];

    public static async Task<IEnumerable<BenchResult>> RunAsync(BenchCluster cluster, int links, double bashPerStepMs)
    {
        // Warm-up: a chain as long as the measured one, so the server's JIT has reached its optimised code (tiered
        // compilation recompiles hot methods after some hundred calls) and the figure is a running server's.
        await ChainAsync(cluster, links);
        var (plan, runs) = await ChainAsync(cluster, links);
        var total = (Time(plan, "finishedAt") - Time(plan, "createdAt")).TotalMilliseconds;
        var parts = Breakdown(runs);
        var results = new List<BenchResult>
        {
            new($"plan chain of {links}, total", Math.Round(total, 1), "ms", "", "plan created -> finished, one agent"),
            new("plan chain, per link", Math.Round(total / links, 2), "ms/link", "", $"total / {links}"),
            new("plan chain, overhead per link", Math.Round((total / links) - bashPerStepMs, 2), "ms/link", "<= 5 ms",
                "per link minus bash's cost to start the same process; Windmill ~49 ms, Hatchet ~30 ms, Temporal ~74 ms per sequential task"),
        };
        results.AddRange(parts.Select(p => new BenchResult($"chain link: {p.Name}", Math.Round(Median(p.Values), 2), "ms", "", "median over the links")));
        // The medians do not add up to a link: the mean and the slow tenth say which part holds the rest.
        foreach (var (name, values) in parts)
        {
            var sorted = values.Order().ToList();
            Console.WriteLine(FormattableString.Invariant(
                $"chain link: {name}: mean {values.Average():0.00} ms, p90 {sorted[(int)(0.9 * (sorted.Count - 1))]:0.00} ms, max {sorted[^1]:0.00} ms"));
        }
        return results;
    }

    private static async Task<(JsonElement Plan, List<JsonElement> Runs)> ChainAsync(BenchCluster cluster, int links)
    {
        var project = "c" + Guid.NewGuid().ToString("N")[..10];
        (await cluster.Admin.PostAsJsonAsync("/api/projects", new { key = project, name = project })).EnsureSuccessStatusCode();
        for (var i = 1; i <= links; i++)
        {
            var dependsOn = i == 1 ? Array.Empty<string>() : [$"WI-{i - 1}"];
            (await cluster.Admin.PostAsJsonAsync($"/api/projects/{project}/work-items",
                new { title = $"link {i}", labels = BenchLabels, dependsOn })).EnsureSuccessStatusCode();
            (await cluster.Admin.PutAsync($"/api/projects/{project}/work-items/WI-{i}/recipe",
                new StringContent("steps:\n  - name: link\n    run: 'true'\n", System.Text.Encoding.UTF8, "application/yaml"))).EnsureSuccessStatusCode();
        }
        var created = await cluster.Admin.PostAsJsonAsync($"/api/projects/{project}/plans", new { });
        created.EnsureSuccessStatusCode();
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        JsonElement plan;
        // Polled, but the figures come from stored timestamps, so the polling interval does not enter them.
        while ((plan = await cluster.Admin.GetFromJsonAsync<JsonElement>($"/api/plans/{id}")).GetProperty("status").GetString() == "running")
        {
            await Task.Delay(1000);
        }
        if (plan.GetProperty("status").GetString() != "succeeded")
        {
            throw new InvalidOperationException($"the chain plan ended {plan.GetProperty("status").GetString()}");
        }
        var runs = new List<JsonElement>();
        foreach (var item in plan.GetProperty("items").EnumerateArray())
        {
            runs.Add(await cluster.Admin.GetFromJsonAsync<JsonElement>($"/api/runs/{item.GetProperty("runId").GetInt64()}"));
        }
        return (plan, runs.OrderBy(r => Time(r, "createdAt")).ToList());
    }

    private static List<(string Name, List<double> Values)> Breakdown(List<JsonElement> runs)
    {
        var parts = new List<(string Name, List<double> Values)>
        {
            ("previous run's end -> run created", []),
            ("created -> claimed", []),
            ("claimed -> step process started", []),
            ("step process", []),
            ("step end -> run end", []),
        };
        for (var i = 0; i < runs.Count; i++)
        {
            var run = runs[i];
            var step = run.GetProperty("steps")[0];
            if (i > 0)
            {
                parts[0].Values.Add((Time(run, "createdAt") - Time(runs[i - 1], "finishedAt")).TotalMilliseconds);
            }
            parts[1].Values.Add((Time(run, "startedAt") - Time(run, "createdAt")).TotalMilliseconds);
            parts[2].Values.Add((Time(step, "startedAt") - Time(run, "startedAt")).TotalMilliseconds);
            parts[3].Values.Add((Time(step, "finishedAt") - Time(step, "startedAt")).TotalMilliseconds);
            parts[4].Values.Add((Time(run, "finishedAt") - Time(step, "finishedAt")).TotalMilliseconds);
        }
        return parts;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? 0 : sorted[sorted.Count / 2];
    }

    private static DateTimeOffset Time(JsonElement element, string property) =>
        DateTimeOffset.Parse(element.GetProperty(property).GetString()!, CultureInfo.InvariantCulture);
}
