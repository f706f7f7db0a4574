using System.Diagnostics;

namespace Baton.Bench.Hangfire;

/// <summary>The job every peer runs: start `true`, wait for it, count the completion.</summary>
public static class TrueJob
{
    private static int _completed;
    private static int _expected;
    private static TaskCompletionSource _allCompleted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static Task AllCompleted => _allCompleted.Task;

    public static void ExpectCompletions(int count)
    {
        _completed = 0;
        _expected = count;
        _allCompleted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    // Hangfire invokes this by name on a worker thread; it must stay public and static.
    public static void Run()
    {
        using (var process = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })
            ?? throw new InvalidOperationException("could not start `true`"))
        {
            process.WaitForExit();
        }
        if (Interlocked.Increment(ref _completed) == _expected)
        {
            _allCompleted.TrySetResult();
        }
    }
}
