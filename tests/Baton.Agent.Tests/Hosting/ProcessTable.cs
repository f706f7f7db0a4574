using System.Globalization;

namespace Baton.Agent.Tests.Hosting;

/// <summary>Reads /proc: is a process, or any process of a group, still running?</summary>
internal static class ProcessTable
{
    public static bool IsAlive(int pid) => Stat(pid) is { } stat && stat.State != 'Z';

    public static bool GroupIsAlive(int groupId) =>
        Directory.EnumerateDirectories("/proc")
            .Select(path => int.TryParse(Path.GetFileName(path), CultureInfo.InvariantCulture, out var pid) ? Stat(pid) : null)
            .Any(stat => stat is { } process && process.State != 'Z' && process.Group == groupId);

    // A zombie awaiting its reaper is as good as gone: it runs nothing and holds nothing.
    private static (char State, int Group)? Stat(int pid)
    {
        try
        {
            // Fields after the command name: state, ppid, pgrp, ...
            var fields = File.ReadAllText($"/proc/{pid}/stat").Split(") ")[^1].Split(' ');
            return (fields[0][0], int.Parse(fields[2], CultureInfo.InvariantCulture));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
