using Baton.Bench;

// `dotnet run -c Release --project bench/Baton.Bench -- recipes`
// `dotnet run -c Release --project bench/Baton.Bench -- execution path/to/baton.dll [runs] [results.json]`
// `dotnet run -c Release --project bench/Baton.Bench -- chain path/to/baton.dll [links]` (the plan chain alone)
return args.FirstOrDefault() switch
{
    "recipes" => RecipeParserBench.Run(),
    "execution" when args.Length >= 2 => await Baton.Bench.Execution.ExecutionBench.RunAsync(args[1],
        args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 1000,
        args.Length > 3 ? args[3] : "bench/results/latest.json"),
    "chain" when args.Length >= 2 => await Baton.Bench.Execution.ExecutionBench.ChainAsync(args[1],
        args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 200),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Baton.Bench recipes | execution BATON_DLL [RUNS] [RESULTS_JSON] | chain BATON_DLL [LINKS]");
    return 2;
}
