using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace Baton.Chaos.Cluster;

/// <summary>
/// A PostgreSQL cluster of the chaos run's own, in a temp directory (never a shared server: the run
/// restarts it). Commits are synchronous, so what PostgreSQL acknowledged survives its restart; only
/// fsync is off, which loses nothing while the machine itself stays up. As root, PostgreSQL's tools
/// run as the postgres user (PostgreSQL refuses to run as root).
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    private readonly string _directory;
    private readonly string _bin;
    private readonly int _port;

    private PostgresCluster(string directory, string bin, int port)
    {
        _directory = directory;
        _bin = bin;
        _port = port;
    }

    public string ConnectionString => $"Host=127.0.0.1;Port={_port.ToString(CultureInfo.InvariantCulture)};Username=baton;Database=baton";

    private string Data => Path.Combine(_directory, "data");

    public static async Task<PostgresCluster> StartAsync(int port, CancellationToken cancellationToken)
    {
        var bin = FindBin() ?? throw new InvalidOperationException("PostgreSQL's initdb was not found (on PATH or in /usr/lib/postgresql/*/bin); install PostgreSQL");
        var directory = Directory.CreateTempSubdirectory("baton-chaos-pg-").FullName;
        var cluster = new PostgresCluster(directory, bin, port);
        if (Environment.IsPrivilegedProcess)
        {
            await RunAsync("chown", ["postgres", directory], cancellationToken);
        }
        await cluster.ToolAsync("initdb", ["-D", cluster.Data, "-U", "baton", "--auth=trust", "-E", "UTF8", "--no-sync"], cancellationToken);
        await cluster.StartServerAsync(cancellationToken);
        await using var admin = new NpgsqlConnection(cluster.ConnectionString.Replace("Database=baton", "Database=postgres", StringComparison.Ordinal));
        await admin.OpenAsync(cancellationToken);
        await using var create = new NpgsqlCommand("CREATE DATABASE baton", admin);
        await create.ExecuteNonQueryAsync(cancellationToken);
        return cluster;
    }

    /// <summary>Stops PostgreSQL the way a crash would (immediate: no checkpoint, connections cut).</summary>
    public Task CrashAsync(CancellationToken cancellationToken) =>
        ToolAsync("pg_ctl", ["-D", Data, "-m", "immediate", "-w", "stop"], cancellationToken);

    public Task StartServerAsync(CancellationToken cancellationToken) =>
        ToolAsync("pg_ctl", ["-D", Data, "-l", Path.Combine(_directory, "postgres.log"), "-w", "-t", "60", "-o",
            $"-p {_port.ToString(CultureInfo.InvariantCulture)} -k {_directory} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c synchronous_commit=on -c max_connections=400",
            "start"], cancellationToken);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await ToolAsync("pg_ctl", ["-D", Data, "-m", "immediate", "stop"], CancellationToken.None);
        }
        catch (InvalidOperationException)
        {
            // Already stopped.
        }
        Directory.Delete(_directory, recursive: true);
    }

    private Task ToolAsync(string tool, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var path = Path.Combine(_bin, tool);
        return Environment.IsPrivilegedProcess
            ? RunAsync("runuser", ["-u", "postgres", "--", path, .. arguments], cancellationToken)
            : RunAsync(path, arguments, cancellationToken);
    }

    private static async Task RunAsync(string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(program)} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await error}{await output}");
        }
    }

    private static string? FindBin()
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(directory => File.Exists(Path.Combine(directory, "initdb")));
        if (onPath is not null)
        {
            return onPath;
        }
        return Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(version => Path.Combine(version, "bin"))
                .Where(bin => File.Exists(Path.Combine(bin, "initdb")))
                .OrderBy(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), CultureInfo.InvariantCulture, out var major) ? major : 0)
                .LastOrDefault()
            : null;
    }
}
