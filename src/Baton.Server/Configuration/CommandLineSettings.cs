using Microsoft.Extensions.Configuration;

namespace Baton.Server.Configuration;

public static class CommandLineSettings
{
    /// <summary>Reads <c>--Key=value</c> / <c>--Key value</c> settings (the standalone host's command line).</summary>
    public static IReadOnlyDictionary<string, string?> Parse(string[] args)
    {
        var configuration = new ConfigurationBuilder().AddCommandLine(args).Build();
        return configuration.AsEnumerable().Where(pair => pair.Value is not null).ToDictionary(pair => pair.Key, pair => pair.Value);
    }
}
