using System.Text;
using Baton.Contracts.Recipes;
using Baton.Core.Recipes;

namespace Baton.Cli.Client;

/// <summary>
/// A recipe file checked here, by the same parser the server uses, before anything is sent: a mistake is told as
/// <c>file:line:column: message</c> (the form editors and terminals link to) and nothing reaches the server.
/// </summary>
internal static class RecipeFile
{
    public sealed record Checked(string Path, string Yaml, RecipeSpec Recipe, string Hash);

    public static Checked Read(string path)
    {
        var yaml = ReadText(path);
        var parsed = RecipeParser.Parse(yaml);
        if (!parsed.IsValid)
        {
            throw new CliException(ExitCodes.Usage, Describe(path, parsed.Errors));
        }
        return new Checked(path, yaml, parsed.Recipe!, RecipeHash.Compute(yaml));
    }

    /// <summary>The file's text; a missing file or one that is not UTF-8 is a usage error naming it.</summary>
    public static string ReadText(string path)
    {
        if (!File.Exists(path))
        {
            throw new CliException(ExitCodes.Usage, $"{path}: no such file");
        }
        if (new FileInfo(path).Length > RecipeLimits.MaxBytes)
        {
            throw new CliException(ExitCodes.Usage, $"{path}: a recipe may be at most {RecipeLimits.MaxBytes / 1024} KiB");
        }
        try
        {
            return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(File.ReadAllBytes(path));
        }
        catch (DecoderFallbackException)
        {
            throw new CliException(ExitCodes.Usage, $"{path}: not valid UTF-8");
        }
    }

    /// <summary>One line per error, in the file's order (the parser's).</summary>
    public static string Describe(string path, IReadOnlyList<RecipeError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var text = new StringBuilder($"{path}: {errors.Count} error(s) in the recipe");
        foreach (var error in errors)
        {
            text.Append('\n').Append($"{path}:{error.Line}:{error.Column}: {error.Message}");
            if (error.Path is { } key)
            {
                text.Append($" ({key})");
            }
        }
        return text.ToString();
    }
}
