using System.Diagnostics;

namespace Baton.Cli.Tests.Execution;

/// <summary>Asks the system whether a process still exists (`kill -0`), as an operator would.</summary>
internal static class ProcessProbe
{
    public static bool Alive(int pid)
    {
        using var probe = Process.Start(new ProcessStartInfo("kill", $"-0 {pid}") { RedirectStandardError = true })!;
        probe.WaitForExit();
        return probe.ExitCode == 0;
    }
}
