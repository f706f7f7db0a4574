using System.Diagnostics;
using Baton.Agent.Execution;
using Baton.Agent.Processes;
using Baton.Contracts.Recipes;

namespace Baton.Bench.Execution;

/// <summary>The agent's executor alone (no server): what starting 200 step processes costs it, against bash doing the same.</summary>
internal static class ExecutorBench
{
    private const int Steps = 200;

    public static async Task<IReadOnlyList<BenchResult>> RunAsync()
    {
        var recipe = new RecipeSpec { Steps = [.. Enumerable.Range(1, Steps).Select(i => new RecipeStep { Name = $"s{i}", Run = "true" })] };
        var workspace = Directory.CreateTempSubdirectory("baton-executor-bench-").FullName;
        var executor = new RunExecutor(new ProcessRunner(TimeProvider.System), TimeProvider.System);
        var environment = new Dictionary<string, string> { ["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin" };
        await executor.ExecuteAsync(recipe, workspace, environment, new NoObserver(), RunLogSettings.Default, CancellationToken.None);
        var clock = Stopwatch.StartNew();
        await executor.ExecuteAsync(recipe, workspace, environment, new NoObserver(), RunLogSettings.Default, CancellationToken.None);
        var executorMs = clock.Elapsed.TotalMilliseconds;
        Directory.Delete(workspace, recursive: true);
        return
        [
            new("executor alone, 200 true steps", Math.Round(executorMs, 1), "ms", "", "RunExecutor in-process, no server"),
            new("executor alone, per step", Math.Round(executorMs / Steps, 2), "ms/step", "", "process start to exit, pipes read"),
        ];
    }

    private sealed class NoObserver : IRunObserver
    {
        public void OnLine(LogLine line)
        {
        }

        public void OnStep(StepReport report)
        {
        }
    }
}
