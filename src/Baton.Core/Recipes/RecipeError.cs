namespace Baton.Core.Recipes;

/// <summary>One problem in a recipe, at a 1-based line and column; <see cref="Path"/> names the key (e.g. steps[1].timeout).</summary>
public sealed record RecipeError(RecipeErrorKind Kind, string Message, int Line, int Column, string? Path);

public enum RecipeErrorKind
{
    Syntax,
    UnknownKey,
    MissingKey,
    DuplicateKey,
    InvalidValue,
    InvalidDuration,
    CwdEscapesWorkspace,
    AliasNotAllowed,
    TooDeep,
    TooLarge,
    ForbiddenEnv,
}

/// <summary>The parsed recipe, or every error that stopped it.</summary>
public sealed record RecipeParseResult(Contracts.Recipes.RecipeSpec? Recipe, IReadOnlyList<RecipeError> Errors)
{
    public bool IsValid => Recipe is not null && Errors.Count == 0;
}

/// <summary>Bounds that keep parsing cheap for any input, hostile or not.</summary>
public static class RecipeLimits
{
    public const int MaxBytes = 256 * 1024;
    public const int MaxDepth = 32;
    public const int MaxSteps = 500;
    public const int MaxNameLength = 200;
    public const int MaxEnvEntries = 200;
    public const int MaxRetryAttempts = 10;
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromHours(72);
}
