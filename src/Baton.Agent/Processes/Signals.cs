using System.Runtime.InteropServices;

namespace Baton.Agent.Processes;

/// <summary>POSIX signals to a whole process group (the step's shell and everything it started).</summary>
internal static partial class Signals
{
    public const int Interrupt = 2;
    public const int Kill = 9;
    public const int Terminate = 15;

    /// <summary>Sends <paramref name="signal"/> to every process in group <paramref name="groupId"/>; false when none is left.</summary>
    public static bool ToGroup(int groupId, int signal) => SendSignal(-groupId, signal) == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);
}
