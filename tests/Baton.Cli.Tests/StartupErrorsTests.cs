using Baton.Cli.Tests.Client;

namespace Baton.Cli.Tests;

/// <summary>A server that cannot start says why in one line and exits 2, however many settings are wrong.</summary>
public sealed class StartupErrorsTests
{
    [Fact]
    public async Task Server_WithTwoInvalidSections_ListsBothInOneLine_AndExitsTwo()
    {
        var dataDir = Directory.CreateTempSubdirectory("baton-startup-").FullName;
        var shell = new Client.Cli(new Dictionary<string, string>
        {
            ["BATON_RateLimits__PerTokenPerSecond"] = "0",
            ["BATON_Runs__LeaseSeconds"] = "1",
        });

        var result = await shell.RunAsync("server", "--urls", "http://127.0.0.1:0", "--data-dir", dataDir);

        Assert.True(result.ExitCode == 2, result.ToString());
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("baton:", StringComparison.Ordinal));
        Assert.Contains("RateLimits:PerToken", line);
        Assert.Contains("Runs:LeaseSeconds", line);
        Assert.DoesNotContain("   at ", result.Stdout + result.Stderr);
    }
}
