using System.Globalization;

namespace Baton.Bench.Hangfire;

/// <summary>Peak resident set of this process (VmHWM in /proc/self/status).</summary>
public static class PeakMemory
{
    public static double ReadMegabytes()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                var kilobytes = long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                return Math.Round(kilobytes / 1024.0, 1);
            }
        }
        return double.NaN;
    }
}
