using System.CommandLine;
using System.Text.Json;
using Baton.Cli.Client;
using Baton.Core.Recipes;
using Baton.Server.Features.Recipes;

namespace Baton.Cli.Commands.Client;

/// <summary>
/// `baton recipe validate FILE`: the server's own parser, run here. It needs no server and no token, so it is a plain
/// command (a client command would insist on knowing a server) with only <c>--output</c>.
/// </summary>
internal static class RecipeCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "The recipe YAML" };
        var output = ClientCommand.Output();
        var validate = new Command("validate", "Check a recipe file locally (no server needed); errors name line:column") { file, output };
        validate.SetAction((parse, _) => ClientCommand.GuardAsync(() =>
            Task.FromResult(Validate(parse.GetValue(file)!, parse.GetValue(output) == "json"))));
        return ClientCommand.Group("recipe", "Recipe files: validate", validate);
    }

    /// <summary>Valid: one line (or the parsed recipe as JSON). Invalid: every error on stderr and exit 2; with json, the errors on stdout too.</summary>
    private static int Validate(string path, bool json)
    {
        var yaml = RecipeFile.ReadText(path);
        var parsed = RecipeParser.Parse(yaml);
        if (!parsed.IsValid)
        {
            if (json)
            {
                Write(new { valid = false, errors = parsed.Errors.Select(RecipeErrorDto.From) });
            }
            throw new CliException(ExitCodes.Usage, RecipeFile.Describe(path, parsed.Errors));
        }
        var recipe = parsed.Recipe!;
        var hash = RecipeHash.Compute(yaml);
        if (json)
        {
            Write(new { valid = true, steps = recipe.Steps.Count, hash, recipe });
        }
        else
        {
            Console.Out.WriteLine($"{path}: valid, {recipe.Steps.Count} step{(recipe.Steps.Count == 1 ? "" : "s")}, hash {hash}");
        }
        return ExitCodes.Success;
    }

    private static void Write(object document) => Console.Out.WriteLine(JsonSerializer.Serialize(document, ClientJson.Indented));
}
