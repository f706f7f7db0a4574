using System.Security.Claims;
using Baton.Core.Recipes;
using Baton.Persistence;
using Baton.Server.Features.WorkItems;
using Baton.Server.Infrastructure.Auth;
using Baton.Server.Infrastructure.Errors;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;

namespace Baton.Server.Features.Recipes;

/// <summary>Tool recipes: YAML as written plus the parsed form, versioned per work item.</summary>
public static class RecipesApi
{
    public const string YamlMediaType = "application/yaml";

    public static IEndpointRouteBuilder MapRecipes(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/projects/{key}/work-items/{wiKey}/recipe").WithTags("Recipes").RequireAuthorization(Policies.Read);
        group.MapPut("/", Set).RequireAuthorization(Policies.Write)
            .AcceptsRecipe()
            .WithSummary("Set the recipe")
            .WithDescription("Body: the recipe YAML (`Content-Type: application/yaml`, at most 256 KiB). A changed recipe becomes a new version (201); the same content again answers 200 with the current version. Every error is reported with its line and column.");
        group.MapGet("/", Get)
            .Produces<RecipeDto>(StatusCodes.Status200OK, "application/json")
            .Produces<string>(StatusCodes.Status200OK, YamlMediaType)
            .WithSummary("Get the recipe")
            .WithDescription("`Accept: application/yaml` answers the YAML byte for byte as written; otherwise JSON with the parsed form, content hash and version. `?version=N` reads an earlier version.");
        routes.MapPost("/api/recipes/validate", Validate).WithTags("Recipes").RequireAuthorization(Policies.Read)
            .AcceptsRecipe()
            .WithSummary("Validate a recipe")
            .WithDescription("Parses and checks the YAML without storing it; answers whether it is valid, every error with line and column, and the parsed form with its hash.");
        return routes;
    }

    private static async Task<Results<Created<RecipeDto>, Ok<RecipeDto>, ProblemHttpResult>> Set(
        string key, string wiKey, HttpRequest request, RecipeCommands commands, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var body = await RecipeBody.ReadAsync(request, cancellationToken);
        if (body.Value is not { } yaml)
        {
            return body.Failure!.ToResult();
        }
        var outcome = await commands.SetAsync(key, wiKey, yaml, user.Actor(), cancellationToken);
        if (outcome.Failure is { } failure)
        {
            return failure.ToResult();
        }
        var (recipe, created) = outcome.Value;
        return created ? TypedResults.Created($"/api/projects/{key}/work-items/{recipe.WorkItem}/recipe", recipe) : TypedResults.Ok(recipe);
    }

    private static async Task<Results<Ok<RecipeDto>, ContentHttpResult, ProblemHttpResult>> Get(
        string key, string wiKey, int? version, HttpRequest request, WorkItemCommands workItems, BatonDbContext db,
        CancellationToken cancellationToken)
    {
        var found = await workItems.FindAsync(key, wiKey, cancellationToken);
        if (found.Value is not { } item)
        {
            return found.Failure!.ToResult();
        }
        var wanted = version ?? item.RecipeVersion;
        var recipe = wanted is null ? null : await db.RecipeVersions.AsNoTracking()
            .SingleOrDefaultAsync(r => r.WorkItemId == item.Id && r.Version == wanted, cancellationToken);
        if (recipe is null)
        {
            return Failure.NotFound(version is null ? $"{item.Key} has no recipe yet" : $"{item.Key} has no recipe version {version}").ToResult();
        }
        if (WantsYaml(request))
        {
            return TypedResults.Text(recipe.Yaml, YamlMediaType + "; charset=utf-8");
        }
        return TypedResults.Ok(RecipeCommands.ToDto(item.Key, recipe));
    }

    private static async Task<Results<Ok<RecipeValidationDto>, ProblemHttpResult>> Validate(HttpRequest request, CancellationToken cancellationToken)
    {
        var body = await RecipeBody.ReadAsync(request, cancellationToken);
        if (body.Value is not { } yaml)
        {
            return body.Failure!.ToResult();
        }
        var parsed = RecipeParser.Parse(yaml);
        if (parsed.Errors.Any(e => e.Kind == RecipeErrorKind.TooLarge))
        {
            return RecipeBody.Invalid(parsed.Errors).ToResult();
        }
        return TypedResults.Ok(new RecipeValidationDto(parsed.IsValid, [.. parsed.Errors.Select(RecipeErrorDto.From)],
            parsed.Recipe, parsed.IsValid ? RecipeHash.Compute(yaml) : null));
    }

    private static bool WantsYaml(HttpRequest request) =>
        request.GetTypedHeaders().Accept.Any(accept =>
            accept.MediaType.Equals(YamlMediaType, StringComparison.OrdinalIgnoreCase)
            || accept.MediaType.Equals("text/yaml", StringComparison.OrdinalIgnoreCase));
}
