using Baton.Bench;

// `dotnet run -c Release --project bench/Baton.Bench -- recipes`
return args.FirstOrDefault() switch
{
    "recipes" => RecipeParserBench.Run(),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Baton.Bench recipes");
    return 2;
}
