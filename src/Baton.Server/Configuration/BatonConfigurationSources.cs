using Microsoft.Extensions.Configuration;

namespace Baton.Server.Configuration;

/// <summary>
/// Configuration layers, later ones winning: appsettings.json, then <c>.env</c> in the
/// working directory, then <c>BATON_</c>-prefixed environment variables, then the
/// command line. <c>BATON_Storage__Provider</c> becomes the key <c>Storage:Provider</c>.
/// </summary>
public static class BatonConfigurationSources
{
    public const string EnvironmentPrefix = "BATON_";

    public static void UseBatonSources(this ConfigurationManager configuration, string environmentName,
        IReadOnlyDictionary<string, string?> commandLine, string workingDirectory)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        configuration.Sources.Clear();
        configuration.SetBasePath(AppContext.BaseDirectory);
        configuration.AddJsonFile("appsettings.json", optional: true, reloadOnChange: false);
        configuration.AddJsonFile($"appsettings.{environmentName}.json", optional: true, reloadOnChange: false);
        configuration.AddInMemoryCollection(ReadDotEnv(Path.Combine(workingDirectory, ".env")));
        configuration.AddEnvironmentVariables(EnvironmentPrefix);
        configuration.AddInMemoryCollection(OpenTelemetryVariables());
        configuration.AddInMemoryCollection(commandLine);
    }

    /// <summary>
    /// The standard <c>OTEL_*</c> variables under their own names: the OpenTelemetry exporters read their endpoint,
    /// protocol and headers from configuration, which otherwise holds only <c>BATON_</c> variables.
    /// </summary>
    private static List<KeyValuePair<string, string?>> OpenTelemetryVariables() =>
        [.. Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(name => name.StartsWith(OpenTelemetryPrefix, StringComparison.Ordinal))
            .Select(name => new KeyValuePair<string, string?>(name, Environment.GetEnvironmentVariable(name)))];

    private const string OpenTelemetryPrefix = "OTEL_";

    private static List<KeyValuePair<string, string?>> ReadDotEnv(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }
        // Same names as the environment: only BATON_ keys count, "__" separates sections.
        return DotEnvFile.Parse(File.ReadAllText(path), path)
            .Where(pair => pair.Key.StartsWith(EnvironmentPrefix, StringComparison.OrdinalIgnoreCase))
            .Select(pair => new KeyValuePair<string, string?>(
                pair.Key[EnvironmentPrefix.Length..].Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal),
                pair.Value))
            .ToList();
    }
}
