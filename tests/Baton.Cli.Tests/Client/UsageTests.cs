namespace Baton.Cli.Tests.Client;

/// <summary>Mistakes on the command line are usage errors (exit 2) told in words, never a stack trace.</summary>
[Collection(ClientTestGroup.Name)]
public sealed class UsageTests(ClientServer server)
{
    public static TheoryData<string[], string> BadCommandLines => new()
    {
        { ["nosuch"], "Unrecognized command or argument 'nosuch'" },
        { ["projects", "create", "k"], "Option '--name' is required" },
        { ["runs", "list", "--output", "yaml"], "'yaml' not recognized" },
        { ["runs", "list", "--status", "sleeping"], "'sleeping' not recognized" },
        { ["runs", "show", "forty-two"], "Cannot parse argument 'forty-two'" },
        { ["runs", "list", "--limit", "0"], "--limit must be between 1 and 200" },
        { ["logs", "1", "--step", "0"], "--step counts from 1" },
        { ["exec", "/nonexistent/recipe.yml", "--project", "x"], "/nonexistent/recipe.yml: no such file" },
        { ["completion", "tcsh"], "'tcsh' not recognized" },
    };

    [Theory]
    [MemberData(nameof(BadCommandLines))]
    public async Task BadArguments_AreUsageErrors_WithExitCodeTwo_AndNoStackTrace(string[] arguments, string message)
    {
        var result = await server.Shell().RunAsync(arguments);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(message, result.Stderr + result.Stdout);
        Assert.DoesNotContain("   at ", result.Stderr + result.Stdout);
    }

    [Fact]
    public async Task ARequestTheServerRefuses_IsExitTwo_WithTheServersWords()
    {
        var result = await server.Shell().RunAsync("runs", "show", "987654321");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal("baton: Not found: run 987654321 does not exist", result.Stderr.Trim());
    }

    [Fact]
    public async Task FieldErrors_NameTheField()
    {
        var result = await server.Shell().RunAsync("projects", "create", "has spaces", "--name", "x");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("key:", result.Stderr);
    }

    [Fact]
    public async Task AnUnreachableServer_IsExitSix()
    {
        var result = await ClientServer.ShellWithout(("BATON_SERVER", "http://127.0.0.1:1"), ("BATON_TOKEN", "whatever-token"))
            .RunAsync("runs", "list");

        Assert.True(result.ExitCode == 6, result.ToString());
        Assert.Contains("cannot reach the Baton server at http://127.0.0.1:1/", result.Stderr);
    }

    [Fact]
    public async Task NoTokenOrABadOne_IsExitFive()
    {
        var none = await ClientServer.ShellWithout(("BATON_SERVER", server.Url)).RunAsync("runs", "list");
        var bad = await ClientServer.ShellWithout(("BATON_SERVER", server.Url), ("BATON_TOKEN", "not-a-real-token-0123456789abcdefghij"))
            .RunAsync("runs", "list");

        Assert.True(none.ExitCode == 5, none.ToString());
        Assert.Contains("no token", none.Stderr);
        Assert.True(bad.ExitCode == 5, bad.ToString());
    }

    [Fact]
    public async Task AProjectCommandWithoutAProject_SaysHowToGiveOne()
    {
        var result = await server.Shell().RunAsync("run", "WI-1");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("no project: pass --project KEY", result.Stderr);
    }
}
