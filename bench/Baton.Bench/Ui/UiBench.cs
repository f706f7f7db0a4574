using System.Diagnostics;
using System.Globalization;
using Baton.Bench.Execution;
using Baton.Ui.Tests;
using Microsoft.Playwright;

namespace Baton.Bench.Ui;

/// <summary>
/// The web UI in Debian's Chromium against a Release server and agent: how long a printed line takes to appear in
/// the run page's log pane (agent batch, ingestion, signal, circuit, DOM), and how long a finished run's page takes
/// to show a 10,000-line log whole.
/// </summary>
internal static class UiBench
{
    private const int LiveLines = 100;
    private const int LongLog = 10_000;

    // Each line carries its print time (ms since the epoch); the page notes when each line element is added.
    private const string WatchLines = """
        window.__seen = [];
        new MutationObserver(records => {
          const now = Date.now();
          for (const record of records)
            for (const node of record.addedNodes)
              if (node.nodeType === 1)
                for (const line of (node.matches('.line') ? [node] : node.querySelectorAll('.line'))) {
                  const match = /^at (\d+)$/.exec(line.querySelector('.t')?.textContent ?? '');
                  if (match) window.__seen.push(now - Number(match[1]));
                }
        }).observe(document, { childList: true, subtree: true });
        """;

    public static async Task<int> RunAsync(string batonDll, string resultsPath)
    {
        await using var cluster = await BenchCluster.StartAsync(batonDll);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(DebianChromium.LaunchOptions());
        await using var context = await browser.NewContextAsync(new() { BaseURL = cluster.Url, ViewportSize = new() { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync($"/login#token={BenchCluster.AdminToken}");
        await page.Locator("main h1").First.WaitForAsync();

        var results = new List<BenchResult>();
        results.AddRange(await LineLatencyAsync(cluster, page));
        results.AddRange(await LongLogLoadAsync(cluster, page));
        results.Add(new("ui: server peak memory", Math.Round(BenchCluster.PeakMegabytes(cluster.Server), 1), "MB", "",
            "VmHWM of the server after both pages"));
        BenchResult.Print(results);
        BenchResult.Merge(resultsPath, results);
        return 0;
    }

    private static async Task<IEnumerable<BenchResult>> LineLatencyAsync(BenchCluster cluster, IPage page)
    {
        var (project, item) = await cluster.WorkItemAsync(
            $"steps:\n  - name: tick\n    run: for i in $(seq 1 {LiveLines}); do echo \"at $(date +%s%3N)\"; sleep 0.05; done\n");
        await page.AddInitScriptAsync(WatchLines);
        var run = await cluster.StartRunAsync(project, item);
        await page.GotoAsync($"/runs/{run}");
        await cluster.WaitForEndAsync(run);
        await page.Locator(".line").Nth(LiveLines - 1).WaitForAsync();
        // Lines printed before the page was live arrive as its backfill, not as live lines: only the later ones count.
        var seen = (await page.EvaluateAsync<double[]>("window.__seen")).Skip(LiveLines / 5).Order().ToArray();
        return
        [
            new("ui: line printed -> shown, p50", Math.Round(Percentile(seen, 0.50), 1), "ms", "<= 250", $"{seen.Length} live lines, a line each 50 ms"),
            new("ui: line printed -> shown, p95", Math.Round(Percentile(seen, 0.95), 1), "ms", "<= 500", "agent flush is 100 ms"),
        ];
    }

    private static async Task<IEnumerable<BenchResult>> LongLogLoadAsync(BenchCluster cluster, IPage page)
    {
        var (project, item) = await cluster.WorkItemAsync($"steps:\n  - name: many\n    run: seq 1 {LongLog}\n");
        var run = await cluster.StartRunAsync(project, item);
        await cluster.WaitForEndAsync(run);
        var firsts = new List<double>();
        var loads = new List<double>();
        for (var i = 0; i < 3; i++)
        {
            var clock = Stopwatch.StartNew();
            await page.GotoAsync($"/runs/{run}");
            await page.Locator(".line .t", new() { HasTextRegex = new("^1$") }).WaitForAsync(new() { State = WaitForSelectorState.Attached });
            firsts.Add(clock.Elapsed.TotalMilliseconds);
            await page.Locator(".line .t", new() { HasTextRegex = new($"^{LongLog}$") }).WaitForAsync(new() { State = WaitForSelectorState.Attached });
            loads.Add(clock.Elapsed.TotalMilliseconds);
        }
        return
        [
            new("ui: finished run page, first line shown", Math.Round(firsts.Min(), 0), "ms", "", "best of 3: page open, circuit up, first read"),
            new($"ui: finished run page, {LongLog:N0} lines shown", Math.Round(loads.Min(), 0), "ms", "<= 2000",
                $"best of 3 ({string.Join(", ", loads.Select(l => l.ToString("0", CultureInfo.InvariantCulture)))}), page open to last line in the DOM"),
        ];
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
