using Baton.Bench;

// `dotnet run -c Release --project bench/Baton.Bench -- recipes`
// `dotnet run -c Release --project bench/Baton.Bench -- masking` (the secret masker, in process)
// `dotnet run -c Release --project bench/Baton.Bench -- execution path/to/baton.dll [runs] [results.json]`
// `dotnet run -c Release --project bench/Baton.Bench -- chain path/to/baton.dll [links]` (the plan chain alone)
// `dotnet run -c Release --project bench/Baton.Bench -- logs path/to/baton.dll [times]` (log ingestion alone)
// `dotnet run -c Release --project bench/Baton.Bench -- ui path/to/baton.dll [results.json]` (the web UI in Debian's Chromium)
// `scripts/with-postgres.sh dotnet run -c Release --project bench/Baton.Bench -- throughput path/to/baton.dll path/to/Baton.Bench.Hangfire.dll [runs] [idle-seconds] [results.json] [warm-up-seconds]` (idle 0: no idle reading; BATON_BENCH_AGENT=dist/baton-agent starts the agents from the native agent)
// `scripts/with-postgres.sh dotnet run -c Release --project bench/Baton.Bench -- observability path/to/baton.dll [runs] [lines-per-run] [results.json]`
// `scripts/with-postgres.sh dotnet run -c Release --project bench/Baton.Bench -- api path/to/baton.dll [seconds] [results.json] [warm-up-seconds]` (wrk: scripts/ensure-package.sh wrk)
// `dotnet run -c Release --project bench/Baton.Bench -- report [results.json] [docs/BENCHMARKS.md | --no-doc]` (one table; the doc's summary block)
return args.FirstOrDefault() switch
{
    "recipes" => RecipeParserBench.Run(),
    "masking" => SecretMaskerBench.Run(),
    "execution" when args.Length >= 2 => await Baton.Bench.Execution.ExecutionBench.RunAsync(args[1],
        args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 1000,
        args.Length > 3 ? args[3] : "bench/results/latest.json"),
    "observability" when args.Length >= 2 => await Baton.Bench.Observability.ObservabilityBench.RunAsync(args[1],
        Environment.GetEnvironmentVariable("BATON_BENCH_POSTGRES") ?? Environment.GetEnvironmentVariable("BATON_TEST_POSTGRES")
            ?? throw new InvalidOperationException("set BATON_BENCH_POSTGRES (or run under scripts/with-postgres.sh)"),
        args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 100_000,
        args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 100,
        args.Length > 4 ? args[4] : "bench/results/latest.json"),
    "chain" when args.Length >= 2 => await Baton.Bench.Execution.ExecutionBench.ChainAsync(args[1],
        args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 200),
    "logs" when args.Length >= 2 => await Baton.Bench.Execution.ExecutionBench.LogsAsync(args[1],
        args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 3),
    "throughput" when args.Length >= 3 => await Baton.Bench.Throughput.ThroughputBench.RunAsync(args[1], args[2],
        Environment.GetEnvironmentVariable("BATON_BENCH_POSTGRES") ?? Environment.GetEnvironmentVariable("BATON_TEST_POSTGRES")
            ?? throw new InvalidOperationException("set BATON_BENCH_POSTGRES (or run under scripts/with-postgres.sh)"),
        args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 2000,
        args.Length > 4 ? int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture) : 60,
        args.Length > 5 ? args[5] : "bench/results/latest.json",
        args.Length > 6 ? int.Parse(args[6], System.Globalization.CultureInfo.InvariantCulture) : 120),
    "throughput-baton" when args.Length >= 2 => await Baton.Bench.Throughput.ThroughputBench.ProfileAsync(args[1],
        Environment.GetEnvironmentVariable("BATON_BENCH_POSTGRES") ?? Environment.GetEnvironmentVariable("BATON_TEST_POSTGRES")
            ?? throw new InvalidOperationException("set BATON_BENCH_POSTGRES (or run under scripts/with-postgres.sh)"),
        args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 500,
        args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 20),
    "api" when args.Length >= 2 => await Baton.Bench.Api.ApiBench.RunAsync(args[1],
        Environment.GetEnvironmentVariable("BATON_BENCH_POSTGRES") ?? Environment.GetEnvironmentVariable("BATON_TEST_POSTGRES")
            ?? throw new InvalidOperationException("set BATON_BENCH_POSTGRES (or run under scripts/with-postgres.sh)"),
        args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 10,
        args.Length > 3 ? args[3] : "bench/results/latest.json",
        args.Length > 4 ? int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture) : 60),
    "report" => Baton.Bench.Report.BenchReport.Run(args.Length > 1 ? args[1] : "bench/results/latest.json",
        args.Length > 2 ? args[2] : "docs/BENCHMARKS.md"),
    "ui" when args.Length >= 2 => await Baton.Bench.Ui.UiBench.RunAsync(args[1], args.Length > 2 ? args[2] : "bench/results/latest.json"),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Baton.Bench recipes | masking | execution BATON_DLL [RUNS] [RESULTS_JSON] | chain BATON_DLL [LINKS] | logs BATON_DLL [TIMES] | observability BATON_DLL [RUNS] [LINES_PER_RUN] [RESULTS_JSON] | ui BATON_DLL [RESULTS_JSON] | api BATON_DLL [SECONDS] [RESULTS_JSON] [WARM_UP_SECONDS] | report [RESULTS_JSON] [DOC_MD | --no-doc] | throughput BATON_DLL HANGFIRE_DLL [RUNS] [IDLE_SECONDS] [RESULTS_JSON] [WARM_UP_SECONDS]");
    return 2;
}
