namespace Baton.Agent.Tests;

public sealed class AgentOptionsTests
{
    private static AgentOptions Valid() => new() { Server = new Uri("http://127.0.0.1:5080"), Token = "baton_x" };

    [Fact]
    public void Validate_AcceptsTheDefaults()
    {
        Assert.Empty(Valid().Validate());
    }

    [Fact]
    public void Validate_NamesEveryBadOption()
    {
        var options = Valid() with { Server = new Uri("ftp://host"), Token = " ", Capacity = 0, Labels = ["ok", "not ok"], WorkDirectory = "", Name = " " };

        var problems = options.Validate();

        Assert.Equal(6, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("--server", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("--token", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("--capacity", StringComparison.Ordinal));
        Assert.Contains(problems, p => p == "--labels: 'not ok' is not a label");
        Assert.Contains(problems, p => p.StartsWith("--work-dir", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("--name", StringComparison.Ordinal));
    }

    [Fact]
    public void ParseLabels_TrimsAndDropsBlanksAndRepeats()
    {
        Assert.Equal(["linux", "gpu", "x64"], AgentOptions.ParseLabels(" linux, gpu,,x64,linux "));
        Assert.Empty(AgentOptions.ParseLabels(null));
    }
}
