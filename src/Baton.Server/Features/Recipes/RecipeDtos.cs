using Baton.Contracts.Recipes;
using Baton.Core.Recipes;

namespace Baton.Server.Features.Recipes;

/// <summary>A stored recipe version: the parsed form with its hash (the YAML is served as written).</summary>
public sealed record RecipeDto(string WorkItem, int Version, string ContentHash, RecipeSpec Recipe, string CreatedBy, DateTimeOffset CreatedAt);

/// <summary>One recipe error with its position in the YAML (1-based line and column).</summary>
public sealed record RecipeErrorDto(string Kind, string Message, int Line, int Column, string? Path)
{
    public static RecipeErrorDto From(RecipeError error) => new(
        System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(error.Kind.ToString()),
        error.Message, error.Line, error.Column, error.Path);
}

/// <summary>The answer of POST /api/recipes/validate.</summary>
public sealed record RecipeValidationDto(bool Valid, IReadOnlyList<RecipeErrorDto> Errors, RecipeSpec? Recipe, string? ContentHash);
