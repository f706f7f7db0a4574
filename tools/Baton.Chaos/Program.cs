using System.CommandLine;
using System.Text.Json;
using Baton.Chaos;

// `make chaos` (and, cut down, a test in `make test`): see ChaosRun and docs/operations.md.
var quick = new Option<bool>("--short") { Description = "1,000 runs and one fault of each kind (the run `make test` includes)" };
var runs = new Option<int?>("--runs") { Description = "Runs to queue (default 10,000; 1,000 with --short)" };
var calm = new Option<bool>("--calm") { Description = "No faults: the same work on a healthy cluster, for a baseline" };
var output = new Option<FileInfo?>("--out") { Description = "Where to write the result as JSON" };
var work = new Option<DirectoryInfo?>("--work-dir") { Description = "Where the processes' logs go (default: a new temp directory, kept)" };
var command = new RootCommand("Baton chaos check: replicas, agents and PostgreSQL killed while runs flow, then a checker of the stored history")
{
    quick, calm, runs, output, work,
};
command.SetAction(async (parsed, cancellationToken) =>
{
    var options = parsed.GetValue(quick) ? ChaosOptions.Quick : ChaosOptions.Full;
    options = options with { Calm = parsed.GetValue(calm) };
    if (parsed.GetValue(runs) is { } count)
    {
        options = options with { Runs = count };
    }
    var directory = parsed.GetValue(work)?.FullName ?? Directory.CreateTempSubdirectory("baton-chaos-").FullName;
    var batonDll = Path.Combine(AppContext.BaseDirectory, "baton.dll");
    var result = await ChaosRun.RunAsync(options, batonDll, directory, Console.Out, cancellationToken);
    ChaosSummary.Write(result, Console.Out);
    Console.WriteLine($"logs: {directory}");
    if (parsed.GetValue(output) is { } file)
    {
        await File.WriteAllTextAsync(file.FullName, JsonSerializer.Serialize(result, ChaosSummary.Json), cancellationToken);
    }
    return result.Check.Valid ? 0 : 1;
});
return await command.Parse(args).InvokeAsync();
