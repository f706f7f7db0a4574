using System.Globalization;
using System.Text.RegularExpressions;

namespace Baton.Core.Recipes;

/// <summary>Reads typed values from YAML nodes, adding a positioned error for each bad one.</summary>
internal sealed partial class NodeReader(List<RecipeError> errors)
{
    public void Error(RecipeErrorKind kind, YamlNode at, string? path, string message) =>
        errors.Add(new RecipeError(kind, message, at.Start.Line, at.Start.Column, path));

    /// <summary>The mapping's entries by key; unknown and repeated keys are errors.</summary>
    public Dictionary<string, YamlNode> Keys(YamlMapping mapping, string? path, string[] allowed, string what)
    {
        var keys = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var (key, value) in mapping.Entries)
        {
            var keyPath = path is null ? key.Value : $"{path}.{key.Value}";
            if (!allowed.Contains(key.Value))
            {
                Error(RecipeErrorKind.UnknownKey, key, keyPath, $"unknown key '{key.Value}' in {what} (allowed: {string.Join(", ", allowed)})");
            }
            else if (!keys.TryAdd(key.Value, value))
            {
                Error(RecipeErrorKind.DuplicateKey, key, keyPath, $"key '{key.Value}' appears twice in {what}");
            }
        }
        return keys;
    }

    public string? Text(YamlNode node, string path)
    {
        if (node is YamlScalar scalar && !scalar.IsNull)
        {
            return scalar.Value;
        }
        Error(RecipeErrorKind.InvalidValue, node, path, $"{path} must be text");
        return null;
    }

    public string? Name(YamlNode node, string path)
    {
        if (node is YamlScalar { IsNull: true })
        {
            return null;
        }
        var text = Text(node, path);
        if (text is not null && (string.IsNullOrWhiteSpace(text) || text.Length > RecipeLimits.MaxNameLength || text.Any(char.IsControl)))
        {
            Error(RecipeErrorKind.InvalidValue, node, path, $"{path} must be 1-{RecipeLimits.MaxNameLength} printable characters");
            return null;
        }
        return text?.Trim();
    }

    public bool? Bool(YamlNode node, string path)
    {
        if (node is YamlScalar { Plain: true, Value: "true" or "True" or "TRUE" })
        {
            return true;
        }
        if (node is YamlScalar { Plain: true, Value: "false" or "False" or "FALSE" })
        {
            return false;
        }
        Error(RecipeErrorKind.InvalidValue, node, path, $"{path} must be true or false");
        return null;
    }

    public int? Int(YamlNode node, string path, int min, int max)
    {
        if (node is YamlScalar { Plain: true } scalar
            && int.TryParse(scalar.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }
        Error(RecipeErrorKind.InvalidValue, node, path, $"{path} must be a whole number from {min} to {max}");
        return null;
    }

    public TimeSpan? Timeout(YamlNode node, string path) => Duration(node, path, allowZero: false);

    public TimeSpan? Duration(YamlNode node, string path, bool allowZero)
    {
        var text = node is YamlScalar { IsNull: false } scalar ? scalar.Value : null;
        if (text is null || !Durations.TryParse(text, out var value))
        {
            Error(RecipeErrorKind.InvalidDuration, node, path, $"{path}: '{text}' is not a duration; use {Durations.Forms}");
            return null;
        }
        if ((value == TimeSpan.Zero && !allowZero) || value > RecipeLimits.MaxTimeout)
        {
            Error(RecipeErrorKind.InvalidDuration, node, path,
                $"{path} must be {(allowZero ? "at most" : "more than 0 and at most")} {Durations.Format(RecipeLimits.MaxTimeout)}");
            return null;
        }
        return value;
    }

    public Dictionary<string, string> Env(YamlNode node, string path)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        if (node is YamlScalar { IsNull: true })
        {
            return env;
        }
        if (node is not YamlMapping mapping)
        {
            Error(RecipeErrorKind.InvalidValue, node, path, $"{path} must be a mapping of NAME: value");
            return env;
        }
        if (mapping.Entries.Count > RecipeLimits.MaxEnvEntries)
        {
            Error(RecipeErrorKind.InvalidValue, node, path, $"{path} may set at most {RecipeLimits.MaxEnvEntries} variables");
        }
        foreach (var (key, value) in mapping.Entries)
        {
            var keyPath = $"{path}.{key.Value}";
            if (!EnvName().IsMatch(key.Value))
            {
                Error(RecipeErrorKind.InvalidValue, key, keyPath, $"'{key.Value}' is not a variable name (letters, digits and _, not starting with a digit)");
            }
            else if (EnvironmentNames.Problem(key.Value) is { } forbidden)
            {
                Error(RecipeErrorKind.ForbiddenEnv, key, keyPath, forbidden);
            }
            else if (value is not YamlScalar scalar)
            {
                Error(RecipeErrorKind.InvalidValue, value, keyPath, $"{keyPath} must be a single value, not a list or mapping");
            }
            else if (!env.TryAdd(key.Value, scalar.IsNull ? "" : scalar.Value))
            {
                Error(RecipeErrorKind.DuplicateKey, key, keyPath, $"variable '{key.Value}' is set twice in {path}");
            }
        }
        return env;
    }

    /// <summary>A working directory relative to <paramref name="baseCwd"/>, normalised; null when invalid.</summary>
    public string? Cwd(YamlNode node, string path, string baseCwd)
    {
        if (Text(node, path) is not { } text)
        {
            return null;
        }
        if (text.Any(char.IsControl))
        {
            Error(RecipeErrorKind.InvalidValue, node, path, $"{path} must not contain control characters");
            return null;
        }
        var combined = WorkspacePath.Combine(baseCwd, text);
        if (combined is null)
        {
            Error(RecipeErrorKind.CwdEscapesWorkspace, node, path, $"{path} '{text}' leaves the run's workspace; use a path relative to it");
        }
        return combined;
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex EnvName();
}
