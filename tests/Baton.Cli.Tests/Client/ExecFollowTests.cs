using System.Diagnostics;
using Baton.Tests.Support;

namespace Baton.Cli.Tests.Client;

/// <summary>`baton exec FILE --follow` and `baton logs --follow`: real runs on the embedded agent, and the exit code each outcome gives.</summary>
[Collection(ClientTestGroup.Name)]
public sealed class ExecFollowTests(ClientServer server) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("baton-cli-recipes-").FullName;

    private string Recipe(string name, string yaml)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, yaml);
        return path;
    }

    [Fact]
    public async Task ExecFollow_ExitsZero_WhenTheRunSucceeds_WithTheLogOnStdout_AndTheStepsOnStderr()
    {
        var project = await server.ProjectAsync();
        var file = Recipe("ok.yml", "steps:\n  - name: hello\n    run: echo hello from $BATON_WORK_ITEM\n  - name: count\n    run: for i in 1 2 3; do echo n=$i; done\n");

        var result = await server.Shell(project).RunAsync("exec", file, "--follow");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["hello from WI-0", "n=1", "n=2", "n=3"], result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("step 2/2 count: succeeded", result.Stderr);
        Assert.Matches(@"run \d+ succeeded", result.Stderr);
        var runs = await server.GetAsync($"/api/runs?project={project}");
        var run = Assert.Single(runs.GetProperty("items").EnumerateArray());
        Assert.Equal(("WI-0", "exec", "succeeded"), (run.GetProperty("workItem").GetString(), run.GetProperty("trigger").GetString(),
            run.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task ExecFollow_ExitsOne_WhenAStepFails_NamingItsExitCode()
    {
        var project = await server.ProjectAsync();
        var file = Recipe("fail.yml", "steps:\n  - name: broken\n    run: echo about to fail; exit 7\n  - name: never\n    run: echo never\n");

        var result = await server.Shell(project).RunAsync("exec", file, "--follow");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("about to fail", result.Stdout);
        Assert.DoesNotContain("never", result.Stdout);
        Assert.Contains("broken: failed", result.Stderr);
        Assert.Contains("exit code 7", result.Stderr);
    }

    [Fact]
    public async Task ExecFollow_ExitsFour_WhenAStepTimesOut()
    {
        var project = await server.ProjectAsync();
        var file = Recipe("slow.yml", "steps:\n  - name: slow\n    run: echo started; exec sleep 60\n    timeout: 1s\n");

        var result = await server.Shell(project).RunAsync("exec", file, "--follow");

        Assert.True(result.ExitCode == 4, result.ToString());
        Assert.Contains("slow: timed_out", result.Stderr);
        Assert.Matches(@"run \d+ timed_out", result.Stderr);
    }

    [Fact]
    public async Task ExecFollow_WithJsonOutput_PrintsOnlyTheFinishedRun()
    {
        var project = await server.ProjectAsync();
        var file = Recipe("ok.yml", "steps:\n  - name: quiet\n    run: echo not on stdout in json mode\n");

        var result = await server.Shell(project).RunAsync("exec", file, "--follow", "--output", "json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var run = result.Json();
        Assert.Equal("succeeded", run.GetProperty("status").GetString());
        Assert.Equal("succeeded", run.GetProperty("steps")[0].GetProperty("status").GetString());
    }

    [Fact]
    public async Task Exec_RefusesAnInvalidRecipe_Locally_WithFileLineAndColumn_AndStartsNothing()
    {
        var project = await server.ProjectAsync();
        var file = Recipe("invalid.yml", "steps:\n  - name: a\n    rn: echo\n");

        var result = await server.Shell(project).RunAsync("exec", file, "--follow");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"{file}:3:5: unknown key 'rn'", result.Stderr);
        Assert.Contains($"{file}:2:5: missing key 'run'", result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
        Assert.Empty((await server.GetAsync($"/api/runs?project={project}")).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task ExecFollow_WaitsThroughApproval_ThenFollowsTheRunToItsEnd()
    {
        var project = await server.ProjectAsync(new { runApprovalRequired = true, requiredApprovals = 1, selfApprovalAllowed = true });
        var file = Recipe("ok.yml", "steps:\n  - name: approved\n    run: echo ran after approval\n");
        var shell = server.Shell(project);

        var result = await shell.RunAsync(["exec", file, "--follow"], async (process, _) =>
        {
            var runId = await Eventually.ReturnsAsync(async () =>
            {
                var runs = (await server.GetAsync($"/api/runs?project={project}")).GetProperty("items");
                return runs.GetArrayLength() == 1 && runs[0].GetProperty("status").GetString() == "pending_approval"
                    ? runs[0].GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture)
                    : null;
            }, TimeSpan.FromSeconds(60), "the run to wait for approval");
            var approved = await shell.RunAsync("runs", "approve", runId, "--comment", "go");
            Assert.True(approved.ExitCode == 0, approved.ToString());
            process.StandardInput.Close();
        });

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("pending_approval: waiting for approval (0 of 1)", result.Stderr);
        Assert.Equal("ran after approval", result.Stdout.Trim());
    }

    [Fact]
    public async Task CtrlC_AsksWhetherToCancel_AndYesCancelsTheRun_ExitingThree()
    {
        var project = await server.ProjectAsync();
        // Runs until it is cancelled.
        var file = Recipe("forever.yml", "steps:\n  - name: forever\n    run: echo started; while true; do sleep 0.1; done\n");

        var result = await ExecFollowAndCtrlCAsync(project, file, answer: "y");

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains("Cancel run", result.Stderr);
        Assert.Matches(@"run \d+ cancelled", result.Stderr);
        var run = (await server.GetAsync($"/api/runs?project={project}")).GetProperty("items")[0];
        Assert.Equal("cancelled", run.GetProperty("status").GetString());
    }

    [Fact]
    public async Task CtrlC_AnsweredNo_LeavesTheRunRunning_AndExits130_ThenLogsFollowSeesItToTheEnd()
    {
        var project = await server.ProjectAsync();
        // The step runs until the test lets it end, so Ctrl-C always comes while it runs, however slow the machine.
        var release = Path.Combine(_dir, "release");
        var file = Recipe("wait.yml", $"steps:\n  - name: wait\n    run: echo started; while [ ! -f '{release}' ]; do sleep 0.1; done; echo released\n");

        var detached = await ExecFollowAndCtrlCAsync(project, file, answer: "n");
        var run = (await server.GetAsync($"/api/runs?project={project}")).GetProperty("items")[0];
        await File.WriteAllTextAsync(release, "");
        var runId = run.GetProperty("id").GetInt64();
        var followed = await server.Shell().RunAsync("logs", runId.ToString(System.Globalization.CultureInfo.InvariantCulture), "--follow");

        Assert.True(detached.ExitCode == 130, detached.ToString());
        Assert.Equal("running", run.GetProperty("status").GetString());
        Assert.Contains($"baton logs {runId} --follow", detached.Stderr);
        Assert.True(followed.ExitCode == 0, followed.ToString());
        Assert.Equal(["started", "released"], followed.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>
    /// `baton exec FILE --follow`, Ctrl-C once the step has printed "started", and <paramref name="answer"/> typed at the
    /// question. When it fails, the project's runs are ended: left running, a step would hold the only agent and time out
    /// every test after this one (a release file would not do, as the test's directory goes when the test ends). Only
    /// then: when the command works, what happens to the run is its doing.
    /// </summary>
    private async Task<CliResult> ExecFollowAndCtrlCAsync(string project, string file, string answer)
    {
        try
        {
            return await server.Shell(project).RunAsync(["exec", file, "--follow"], async (process, stdout) =>
            {
                await WaitForAsync(stdout, "started");
                Signal(process, "INT");
                await process.StandardInput.WriteLineAsync(answer);
                await process.StandardInput.FlushAsync();
            });
        }
        catch
        {
            await server.EndRunsAsync(project);
            throw;
        }
    }

    private static async Task WaitForAsync(System.Text.StringBuilder stdout, string text) =>
        await Eventually.TrueAsync(() =>
        {
            lock (stdout)
            {
                return Task.FromResult(stdout.ToString().Contains(text, StringComparison.Ordinal));
            }
        }, TimeSpan.FromSeconds(60), $"'{text}' on stdout");

    private static void Signal(Process process, string signal)
    {
        using var kill = Process.Start("kill", $"-{signal} {process.Id}");
        kill.WaitForExit();
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
