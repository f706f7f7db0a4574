using System.Text.Json;

namespace Baton.Cli.Tests.Client;

/// <summary>What one `baton` invocation printed and exited with.</summary>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Stdout as one JSON document (what --output json promises); fails the test with both streams when it is not.</summary>
    public JsonElement Json()
    {
        try
        {
            using var document = JsonDocument.Parse(Stdout);
            return document.RootElement.Clone();
        }
        catch (JsonException exception)
        {
            throw new Xunit.Sdk.XunitException($"stdout is not one JSON document ({exception.Message}):\n{this}");
        }
    }

    public override string ToString() => $"exit code {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}
