using System.Text;
using Baton.Core.Recipes;
using Baton.Server.Infrastructure.Errors;
using Microsoft.AspNetCore.Mvc;

namespace Baton.Server.Features.Recipes;

/// <summary>
/// Reads a recipe body: YAML media type, UTF-8, at most <see cref="RecipeLimits.MaxBytes"/>.
/// Stops reading at the limit, so an oversized body costs no more than the limit.
/// </summary>
public static class RecipeBody
{
    /// <summary>What a recipe body may be sent as; endpoints declare them all, so none is refused before it is read.</summary>
    public static readonly string[] YamlMediaTypes = ["application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml", "text/plain"];
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Declares every YAML media type the body may have (a single declared type would have the others refused with 415).</summary>
    public static RouteHandlerBuilder AcceptsRecipe(this RouteHandlerBuilder endpoint) =>
        endpoint.Accepts<string>(YamlMediaTypes[0], YamlMediaTypes[1..]);

    public static async Task<Outcome<string>> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var mediaType = request.ContentType?.Split(';')[0].Trim();
        if (mediaType is null || !YamlMediaTypes.Contains(mediaType, StringComparer.OrdinalIgnoreCase))
        {
            return new Failure(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
                $"send the recipe as YAML with 'Content-Type: application/yaml' (got '{mediaType ?? "none"}')");
        }
        if (request.ContentLength > RecipeLimits.MaxBytes)
        {
            return TooLarge();
        }
        var buffer = new byte[RecipeLimits.MaxBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
        {
            length += read;
        }
        if (length > RecipeLimits.MaxBytes)
        {
            return TooLarge();
        }
        try
        {
            return StrictUtf8.GetString(buffer, 0, length);
        }
        catch (DecoderFallbackException)
        {
            return Failure.Invalid("body", "the recipe is not valid UTF-8");
        }
    }

    /// <summary>400 with every parse error, each with its line and column.</summary>
    public static Failure Invalid(IReadOnlyList<RecipeError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.Any(e => e.Kind == RecipeErrorKind.TooLarge))
        {
            return TooLarge();
        }
        var byField = errors.GroupBy(e => e.Path ?? "recipe")
            .ToDictionary(g => g.Key, g => g.Select(e => $"line {e.Line}, column {e.Column}: {e.Message}").ToArray());
        var first = errors[0];
        return new Failure(StatusCodes.Status400BadRequest, "Invalid recipe",
            $"{errors.Count} error(s); first at line {first.Line}, column {first.Column}: {first.Message}", byField);
    }

    private static Failure TooLarge() => Failure.TooLarge($"a recipe may be at most {RecipeLimits.MaxBytes / 1024} KiB");
}
