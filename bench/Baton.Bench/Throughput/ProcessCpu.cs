using System.Globalization;

namespace Baton.Bench.Throughput;

/// <summary>CPU time a process has used, and what its ended children used (Linux, /proc/PID/stat).</summary>
internal readonly record struct ProcessCpu(TimeSpan Own, TimeSpan Children)
{
    // USER_HZ, the unit of /proc's times: fixed at 100 on Linux for every architecture's user-space ABI.
    private const double TicksPerSecond = 100;

    public static ProcessCpu Zero => new(TimeSpan.Zero, TimeSpan.Zero);

    public static ProcessCpu operator +(ProcessCpu a, ProcessCpu b) => new(a.Own + b.Own, a.Children + b.Children);

    public static ProcessCpu operator -(ProcessCpu a, ProcessCpu b) => new(a.Own - b.Own, a.Children - b.Children);

    /// <summary>The process's times; zero when it has gone (a PostgreSQL backend may end between listing and reading).</summary>
    public static ProcessCpu Of(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Zero;
        }
        // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // Fields 14-17 of the whole line: utime, stime, cutime, cstime; fields[0] here is field 3.
        return new ProcessCpu(Seconds(fields[11]) + Seconds(fields[12]), Seconds(fields[13]) + Seconds(fields[14]));
    }

    /// <summary>Every process on the machine whose command is <paramref name="command"/> (PostgreSQL's postmaster and backends).</summary>
    public static ProcessCpu OfCommand(string command)
    {
        var total = Zero;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), CultureInfo.InvariantCulture, out var pid) && Command(pid) == command)
            {
                total += Of(pid);
            }
        }
        return total;
    }

    private static string? Command(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").TrimEnd('\n');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static TimeSpan Seconds(string ticks) => TimeSpan.FromSeconds(long.Parse(ticks, CultureInfo.InvariantCulture) / TicksPerSecond);
}
