using System.Diagnostics;

namespace Baton.Cli.Tests.Client;

/// <summary>`baton completion bash`, loaded into a real bash, completes commands and options from baton itself.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class CompletionTests : IDisposable
{
    private readonly string _bin = Directory.CreateTempSubdirectory("baton-cli-bin-").FullName;

    [Theory]
    [InlineData("baton ru", "run\nruns")]
    [InlineData("baton runs list --st", "--status")]
    [InlineData("baton runs list --status time", "timed_out")]
    public async Task BashCompletion_OffersWhatBatonAccepts(string line, string expected)
    {
        // `baton` on PATH, as an installed tool would be.
        var wrapper = Path.Combine(_bin, "baton");
        await File.WriteAllTextAsync(wrapper, $"#!/bin/sh\nexec dotnet \"{Cli.ExecutablePath}\" \"$@\"\n");
        File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var words = line.Split(' ');
        var script = $"""
            eval "$(baton completion bash)"
            COMP_LINE='{line}'; COMP_POINT={line.Length}; COMP_WORDS=({line}); COMP_CWORD={words.Length - 1}
            _baton_complete
            printf '%s\n' "${"{"}COMPREPLY[@]{"}"}"
            """;
        var start = new ProcessStartInfo("bash", ["-c", script]) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["PATH"] = _bin + ":" + Environment.GetEnvironmentVariable("PATH");
        using var bash = Process.Start(start)!;
        var output = await bash.StandardOutput.ReadToEndAsync();
        var errors = await bash.StandardError.ReadToEndAsync();
        await bash.WaitForExitAsync();

        Assert.True(bash.ExitCode == 0, errors);
        Assert.Equal(expected, output.Trim());
    }

    public void Dispose() => Directory.Delete(_bin, recursive: true);
}
