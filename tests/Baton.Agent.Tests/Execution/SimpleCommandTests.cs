using Baton.Agent.Execution;

namespace Baton.Agent.Tests.Execution;

/// <summary>Which steps are started without bash, and which go to bash because it could read them differently.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SimpleCommandTests : IDisposable
{
    private static readonly Dictionary<string, string> Environment = new() { ["PATH"] = "/usr/bin:/bin", ["HOME"] = "/root" };
    private readonly string _workspace = Directory.CreateTempSubdirectory("baton-simple-").FullName;

    [Theory]
    [InlineData("true", "/usr/bin/true", new string[0])]
    [InlineData("  env -u HOME  \n", "/usr/bin/env", new[] { "-u", "HOME" })]
    [InlineData("sleep 0.1", "/usr/bin/sleep", new[] { "0.1" })]
    [InlineData("env --ignore-environment=x a,b:c@d%e+f^g", "/usr/bin/env", new[] { "--ignore-environment=x", "a,b:c@d%e+f^g" })]
    public void APlainCommand_IsStartedAsThePathBashWouldFind_WithItsWords(string run, string program, string[] arguments)
    {
        var parsed = SimpleCommand.Parse(run, Environment, _workspace);

        Assert.Equal((program, arguments), parsed);
    }

    [Theory]
    [InlineData("echo $HOME")]
    [InlineData("ls *.txt")]
    [InlineData("true && true")]
    [InlineData("env > out")]
    [InlineData("env # a comment")]
    [InlineData("'env'")]
    [InlineData("env\nenv")]
    [InlineData("~/bin/tool")]
    [InlineData("env {a,b}")]
    [InlineData("FOO=1 env")]
    [InlineData("cd /tmp")]
    [InlineData("echo hello")]
    [InlineData("pwd")]
    [InlineData("true --help")]
    [InlineData("no-such-program-anywhere")]
    [InlineData("")]
    public void AStepBashCouldReadDifferently_GoesToBash(string run)
    {
        Assert.Null(SimpleCommand.Parse(run, Environment, _workspace));
    }

    [Theory]
    [InlineData("BASH_ENV")]
    [InlineData("BASH_FUNC_env%%")]
    [InlineData("SHELLOPTS")]
    [InlineData("ENV")]
    [InlineData("PWD")]
    public void AnEnvironmentThatChangesHowBashStarts_SendsEvenAPlainCommandToBash(string name)
    {
        var environment = new Dictionary<string, string>(Environment) { [name] = "x" };

        Assert.Null(SimpleCommand.Parse("env", environment, _workspace));
    }

    [Fact]
    public void AScriptInTheWorkspace_IsStartedByItsRelativeName_OnlyWithAHashBangLine()
    {
        File.WriteAllText(Path.Combine(_workspace, "build.sh"), "#!/bin/sh\necho built\n");
        File.WriteAllText(Path.Combine(_workspace, "bare.sh"), "echo bare\n");
        File.WriteAllText(Path.Combine(_workspace, "notexec.sh"), "#!/bin/sh\n");
        foreach (var script in new[] { "build.sh", "bare.sh" })
        {
            File.SetUnixFileMode(Path.Combine(_workspace, script), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        Assert.Equal(("./build.sh", new[] { "--release" }), SimpleCommand.Parse("./build.sh --release", Environment, _workspace));
        // Without #! exec(2) would refuse it; bash runs it as a bash script.
        Assert.Null(SimpleCommand.Parse("./bare.sh", Environment, _workspace));
        Assert.Null(SimpleCommand.Parse("./notexec.sh", Environment, _workspace));
        // An empty PATH entry is the working directory, named as bash names it.
        Assert.Equal(("./build.sh", Array.Empty<string>()), SimpleCommand.Parse("build.sh", new Dictionary<string, string> { ["PATH"] = ":/usr/bin" }, _workspace));
    }

    public void Dispose() => Directory.Delete(_workspace, recursive: true);
}
