using System.CommandLine;
using Baton.Persistence.Storage;
using Baton.Server.Configuration;

namespace Baton.Cli.Commands;

/// <summary>Options shared by the commands that start or open a Baton installation.</summary>
internal static class HostOptions
{
    public static Option<string?> Urls() => new("--urls")
    {
        Description = $"Address(es) to listen on, ';'-separated (default {ServerOptions.DefaultUrl})",
    };

    public static Option<string?> DataDir() => new("--data-dir")
    {
        Description = "Directory for the SQLite file and local state (default ./.baton)",
    };

    /// <summary>Command-line settings in configuration keys; they win over every other source.</summary>
    public static Dictionary<string, string?> Settings(string? urls, string? dataDir, bool forceSqlite)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            // Start failures are reported by CliErrors as one line; the host's own stack trace is noise.
            ["Logging:LogLevel:Microsoft.Extensions.Hosting.Internal.Host"] = "None",
        };
        if (urls is not null)
        {
            settings["Urls"] = urls;
        }
        if (dataDir is not null)
        {
            settings[$"{StorageOptions.Section}:{nameof(StorageOptions.DataDirectory)}"] = dataDir;
        }
        if (forceSqlite)
        {
            settings[$"{StorageOptions.Section}:{nameof(StorageOptions.Provider)}"] = StorageOptions.Sqlite;
        }
        return settings;
    }
}
