using System.Text.Json;
using Baton.Chaos.Workload;
using Npgsql;

namespace Baton.Chaos.Checking;

/// <summary>
/// Reads the store's side of a history straight from PostgreSQL (not through the API, which a fault
/// could bend the same way as the store): every run with its log lines, every plan with its items.
/// </summary>
public static class HistoryReader
{
    public static async Task<History> ReadAsync(string connectionString, IReadOnlyList<ClientRequest> requests, CancellationToken cancellationToken)
    {
        await using var source = NpgsqlDataSource.Create(connectionString);
        var lines = await ReadLinesAsync(source, cancellationToken);
        var runs = new List<StoredRun>();
        await using (var command = source.CreateCommand(
            "SELECT id, status, attempt, log_lines, work_item_id, trigger, recipe_yaml, status_reason FROM runs ORDER BY id"))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var id = reader.GetInt64(0);
                runs.Add(new StoredRun(id, Recipes.RequestOf(reader.GetString(6)), reader.GetString(1), reader.GetInt32(2),
                    reader.GetInt64(3), reader.GetInt64(4), reader.GetString(5) == "Scheduler", lines.GetValueOrDefault(id) ?? [],
                    reader.IsDBNull(7) ? null : reader.GetString(7)));
            }
        }
        return new History(requests, runs, await ReadPlansAsync(source, cancellationToken));
    }

    private static async Task<Dictionary<long, List<StoredLine>>> ReadLinesAsync(NpgsqlDataSource source, CancellationToken cancellationToken)
    {
        var lines = new Dictionary<long, List<StoredLine>>();
        await using var command = source.CreateCommand("SELECT run_id, lines FROM log_chunks");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var runId = reader.GetInt64(0);
            if (!lines.TryGetValue(runId, out var ofRun))
            {
                lines[runId] = ofRun = [];
            }
            using var chunk = JsonDocument.Parse(reader.GetString(1));
            foreach (var line in chunk.RootElement.EnumerateArray())
            {
                var text = line.GetProperty("text").GetString() ?? "";
                ofRun.Add(new StoredLine(line.GetProperty("n").GetInt64(), Recipes.AttemptOf(text), text, Recipes.FencedAttemptOf(text)));
            }
        }
        return lines;
    }

    private static async Task<List<StoredPlan>> ReadPlansAsync(NpgsqlDataSource source, CancellationToken cancellationToken)
    {
        var items = new Dictionary<long, List<StoredPlanItem>>();
        await using (var command = source.CreateCommand("SELECT plan_id, work_item_id, status, retries, run_id FROM plan_items"))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var planId = reader.GetInt64(0);
                if (!items.TryGetValue(planId, out var ofPlan))
                {
                    items[planId] = ofPlan = [];
                }
                ofPlan.Add(new StoredPlanItem(reader.GetInt64(1), reader.GetString(2), reader.GetInt32(3),
                    reader.IsDBNull(4) ? null : reader.GetInt64(4)));
            }
        }
        var plans = new List<StoredPlan>();
        await using (var command = source.CreateCommand("SELECT id, status FROM plans ORDER BY id"))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var id = reader.GetInt64(0);
                plans.Add(new StoredPlan(id, reader.GetString(1), items.GetValueOrDefault(id) ?? []));
            }
        }
        return plans;
    }
}
