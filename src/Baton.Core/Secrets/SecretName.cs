using Baton.Core.Recipes;

namespace Baton.Core.Secrets;

/// <summary>
/// A secret's name is the environment variable a run sees, so it follows the portable rule for
/// variable names (POSIX: upper-case letters, digits, underscore, not starting with a digit) and
/// may not be a variable that changes how a shell or loader behaves, nor one of Baton's own.
/// </summary>
public static class SecretName
{
    public const int MaxLength = 128;

    /// <summary>Why <paramref name="name"/> cannot name a secret, or null when it can.</summary>
    public static string? Problem(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "a secret needs a name";
        }
        if (name.Length > MaxLength)
        {
            return $"a secret's name has at most {MaxLength} characters";
        }
        if (!char.IsAsciiLetterUpper(name[0]) && name[0] != '_' || !name.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c == '_'))
        {
            return $"'{name}' is not an environment variable name: use A-Z, 0-9 and _, not starting with a digit";
        }
        return EnvironmentNames.Problem(name);
    }
}
