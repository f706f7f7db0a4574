using Baton.Server.Configuration;
using Microsoft.Extensions.Configuration;

namespace Baton.Server.Tests.Configuration;

public sealed class BatonConfigurationSourcesTests
{
    [Fact]
    public void OtelVariables_ReachConfigurationUnderTheirOwnNames_SoTheOtlpExporterSeesTheEndpoint()
    {
        // A name of this test's own: the environment is shared by every test in the process.
        var name = "OTEL_BATON_TEST_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        Environment.SetEnvironmentVariable(name, "http://collector.example:4318");
        try
        {
            var configuration = new ConfigurationManager();
            configuration.UseBatonSources("Production", new Dictionary<string, string?>(), Path.GetTempPath());

            Assert.Equal("http://collector.example:4318", configuration[name]);
            Assert.Null(configuration["PATH"]);
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }
}
