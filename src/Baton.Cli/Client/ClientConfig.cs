using System.Text.Json;

namespace Baton.Cli.Client;

/// <summary>
/// What <c>baton login</c> saves for later commands: the server, the token and a default project.
/// The file is the user's alone (0600 in a 0700 directory), because the token in it is a password.
/// </summary>
internal sealed record ClientConfig(string? Server, string? Token, string? Project)
{
    /// <summary>Overrides where the file is (tests, or several installations side by side).</summary>
    public const string PathVariable = "BATON_CONFIG";

    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public static readonly ClientConfig Empty = new(null, null, null);

    /// <summary>$BATON_CONFIG, else $XDG_CONFIG_HOME/baton/config.json, else ~/.config/baton/config.json.</summary>
    public static string DefaultPath()
    {
        if (Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } explicitPath)
        {
            return Path.GetFullPath(explicitPath);
        }
        var configHome = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME") is { Length: > 0 } xdg
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
        return Path.Combine(configHome, "baton", "config.json");
    }

    /// <summary>The saved settings; <see cref="Empty"/> when there is no file. A file that is not JSON is an error naming it.</summary>
    public static ClientConfig Load(string path)
    {
        if (!File.Exists(path))
        {
            return Empty;
        }
        try
        {
            return JsonSerializer.Deserialize<ClientConfig>(File.ReadAllText(path), ClientJson.Options) ?? Empty;
        }
        catch (JsonException exception)
        {
            throw new CliException(ExitCodes.Usage, $"{path} is not a valid Baton config file ({exception.Message}); run baton login again");
        }
    }

    /// <summary>Writes the file so that it is never readable by others, not even for a moment: created 0600, then filled.</summary>
    public void Save(string path)
    {
        var directory = Path.GetDirectoryName(path)!;
        if (!Directory.Exists(directory))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(directory);
            }
            else
            {
                Directory.CreateDirectory(directory, OwnerOnlyDirectory);
            }
        }
        var temporary = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnlyFile;
        }
        using (var stream = new FileStream(temporary, options))
        {
            JsonSerializer.Serialize(stream, this, ClientJson.Indented);
        }
        if (!OperatingSystem.IsWindows())
        {
            // A leftover temporary file from an earlier, interrupted save keeps its old mode: set it again.
            File.SetUnixFileMode(temporary, OwnerOnlyFile);
        }
        File.Move(temporary, path, overwrite: true);
    }
}
