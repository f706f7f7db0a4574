using Baton.Chaos.Workload;
using Baton.Core.Runs;

namespace Baton.Chaos.Checking;

/// <summary>
/// Reads a history (what the client was told, what the store holds) and reports what was lost,
/// duplicated, left with gaps or stuck (<see cref="CheckReport"/>). Pure: the same history gives the
/// same verdict, so it is tested on histories with planted faults.
/// </summary>
public static class HistoryChecker
{
    /// <summary>At most this many numbers are named in one finding; the count says the rest.</summary>
    private const int Named = 5;

    public static CheckReport Check(History history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var report = new Findings();
        var runs = history.Runs.ToDictionary(run => run.Id);
        var runsByRequest = history.Runs.Where(run => run.Request is not null).ToLookup(run => run.Request!.Value);
        var kinds = history.Requests.ToDictionary(request => request.Number, request => request.Kind);
        foreach (var request in history.Requests)
        {
            if (request.Kind == RequestKind.Plan)
            {
                CheckPlanRequest(request, history.Plans, report);
            }
            else
            {
                CheckRunRequest(request, runs, runsByRequest[request.Number].Count(), report);
            }
        }
        foreach (var run in history.Runs)
        {
            CheckLog(run, run.Request is { } number && kinds.TryGetValue(number, out var kind) ? kind : null, report);
            if (!Enum.TryParse<RunStatus>(run.Status, out var status) || !RunStateMachine.IsFinal(status))
            {
                report.Stuck.Add(new($"run {run.Id}", $"is {run.Status}, not final"));
            }
            else if (status != RunStatus.Succeeded)
            {
                // Every recipe of the workload succeeds wherever it runs: any other end is work that was never finished.
                report.Lost.Add(new($"run {run.Id}", $"ended {run.Status} ({run.Reason ?? "no reason stored"}): its work never finished"));
            }
        }
        CheckPlans(history.Plans, history.Runs, report);
        return new CheckReport(
            history.Requests.Count,
            history.Requests.Count(request => request.AcknowledgedId is not null),
            history.Requests.Count(request => request.AcknowledgedId is null),
            history.Runs.Count,
            history.Runs.GroupBy(run => run.Status).OrderBy(group => group.Key, StringComparer.Ordinal)
                .ToDictionary(group => group.Key, group => group.Count(), StringComparer.Ordinal),
            history.Runs.Sum(run => run.Lines.Count(line => line.Fences is not null)),
            report.Lost, report.Duplicated, report.LogGaps, report.Stuck);
    }

    private static void CheckRunRequest(ClientRequest request, Dictionary<long, StoredRun> runs, int stored, Findings report)
    {
        if (request.AcknowledgedId is { } id && !runs.ContainsKey(id))
        {
            report.Lost.Add(new($"request {request.Number}", $"run {id} was acknowledged but is not stored"));
        }
        if (stored > request.Sends)
        {
            report.Duplicated.Add(new($"request {request.Number}", $"sent {request.Sends} time(s), stored as {stored} runs"));
        }
    }

    private static void CheckPlanRequest(ClientRequest request, IReadOnlyList<StoredPlan> plans, Findings report)
    {
        if (request.AcknowledgedId is not { } id)
        {
            return;
        }
        var plan = plans.FirstOrDefault(candidate => candidate.Id == id);
        if (plan is null)
        {
            report.Lost.Add(new($"request {request.Number}", $"plan {id} was acknowledged but is not stored"));
        }
        else if (plan.Items.Count < request.Items)
        {
            report.Lost.Add(new($"plan {id}", $"holds {plan.Items.Count} of the {request.Items} items it was acknowledged with"));
        }
    }

    /// <summary>Line numbers dense from 1 and each stored once; attempts never going back; a successful multi-step attempt's output whole.</summary>
    private static void CheckLog(StoredRun run, RequestKind? kind, Findings report)
    {
        var subject = $"run {run.Id}";
        var byNumber = run.Lines.GroupBy(line => line.Number).OrderBy(group => group.Key).ToList();
        var twice = byNumber.Where(group => group.Count() > 1).Select(group => group.Key).ToList();
        if (twice.Count > 0)
        {
            report.Duplicated.Add(new(subject, $"{twice.Count} line number(s) stored more than once: {Name(twice)}"));
        }
        var last = Math.Max(run.LogLines, byNumber.Count == 0 ? 0 : byNumber[^1].Key);
        var present = byNumber.Select(group => group.Key).ToHashSet();
        var missing = new List<long>();
        for (var number = 1L; number <= last; number++)
        {
            if (!present.Contains(number))
            {
                missing.Add(number);
            }
        }
        if (missing.Count > 0)
        {
            report.LogGaps.Add(new(subject, $"{missing.Count} of lines 1..{last} missing: {Name(missing)}"));
        }
        var lines = byNumber.Select(group => group.First()).ToList();
        CheckAttemptsInOrder(subject, lines, report);
        if (kind == RequestKind.MultiStep && run.Status == nameof(RunStatus.Succeeded))
        {
            CheckOutputWhole(subject, run.Attempt, lines, report);
        }
    }

    /// <summary>
    /// Once the reaper has fenced an attempt off (its line says so), or a newer attempt has written, a line of that attempt
    /// means a write of an agent that had lost the run was accepted.
    /// </summary>
    private static void CheckAttemptsInOrder(string subject, List<StoredLine> lines, Findings report)
    {
        var newest = 0;
        var fenced = new HashSet<int>();
        foreach (var line in lines)
        {
            if (line.Fences is { } off)
            {
                fenced.Add(off);
            }
            if (line.Attempt is not { } attempt)
            {
                continue;
            }
            if (fenced.Contains(attempt))
            {
                report.Duplicated.Add(new(subject, $"line {line.Number} is attempt {attempt}'s, stored after the reaper fenced that attempt off"));
                return;
            }
            if (attempt < newest)
            {
                report.Duplicated.Add(new(subject, $"line {line.Number} is attempt {attempt}'s, stored after attempt {newest}'s lines: a fenced attempt kept writing"));
                return;
            }
            newest = attempt;
        }
    }

    private static void CheckOutputWhole(string subject, int attempt, List<StoredLine> lines, Findings report)
    {
        var printed = lines.Where(line => line.Attempt == attempt).Select(line => line.Text).ToList();
        var expected = Recipes.ExpectedLines(attempt).ToList();
        var absent = expected.Except(printed, StringComparer.Ordinal).ToList();
        if (absent.Count > 0)
        {
            report.LogGaps.Add(new(subject, $"succeeded, but {absent.Count} of the {expected.Count} lines attempt {attempt} printed are not stored: {Name(absent)}"));
        }
        if (printed.Count > expected.Count)
        {
            report.Duplicated.Add(new(subject, $"attempt {attempt} printed {expected.Count} lines, {printed.Count} are stored"));
        }
    }

    /// <summary>No plan left running, and no work item run by the scheduler more often than its plan items allow.</summary>
    private static void CheckPlans(IReadOnlyList<StoredPlan> plans, IReadOnlyList<StoredRun> runs, Findings report)
    {
        foreach (var plan in plans.Where(plan => plan.Status != "Succeeded"))
        {
            if (plan.Status == "Running")
            {
                report.Stuck.Add(new($"plan {plan.Id}", "is still running"));
            }
            else
            {
                report.Lost.Add(new($"plan {plan.Id}", $"ended {plan.Status}: its items never all finished"));
            }
        }
        // Each plan item that got as far as a run allows one, plus one per retry its work item's rule made.
        var allowed = plans.SelectMany(plan => plan.Items)
            .Where(item => item.RunId is not null)
            .GroupBy(item => item.WorkItemId)
            .ToDictionary(group => group.Key, group => group.Sum(item => 1 + item.Retries));
        foreach (var made in runs.Where(run => run.ByScheduler).GroupBy(run => run.WorkItemId))
        {
            var allowance = allowed.GetValueOrDefault(made.Key);
            if (made.Count() > allowance)
            {
                report.Duplicated.Add(new($"work item {made.Key}", $"the scheduler made {made.Count()} runs where its plan items allow {allowance}"));
            }
        }
    }

    private static string Name<T>(IReadOnlyCollection<T> values) =>
        string.Join(", ", values.Take(Named)) + (values.Count > Named ? ", …" : "");

    private sealed class Findings
    {
        public List<Finding> Lost { get; } = [];
        public List<Finding> Duplicated { get; } = [];
        public List<Finding> LogGaps { get; } = [];
        public List<Finding> Stuck { get; } = [];
    }
}
