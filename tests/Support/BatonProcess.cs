using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Baton.Tests.Support;

/// <summary>The real `baton` executable, started as a process on a free loopback port.</summary>
public sealed class BatonProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private BatonProcess(Process process, string url)
    {
        _process = process;
        Url = url;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Url { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public int ProcessId => _process.Id;

    public int ExitCode => _process.ExitCode;

    /// <summary>
    /// Starts `baton {arguments}`; a "{url}" in the arguments becomes <paramref name="url"/>, by default a free loopback URL
    /// (pass the same URL again to restart a server where its agents expect it).
    /// </summary>
    public static BatonProcess Start(string arguments, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null,
        string? url = null)
    {
        url ??= $"http://127.0.0.1:{FreePort()}";
        return Launch("dotnet", $"\"{ExecutablePath()}\" {arguments.Replace("{url}", url, StringComparison.Ordinal)}", environment, workingDirectory, url);
    }

    /// <summary>Starts another of Baton's executables (the native baton-agent) with <paramref name="arguments"/> as they are.</summary>
    public static BatonProcess StartExecutable(string path, string arguments, IReadOnlyDictionary<string, string>? environment = null,
        string? workingDirectory = null) =>
        Launch(path, arguments, environment, workingDirectory, url: "");

    private static BatonProcess Launch(string fileName, string arguments, IReadOnlyDictionary<string, string>? environment, string? workingDirectory,
        string url)
    {
        var start = new ProcessStartInfo(fileName, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        return new BatonProcess(Process.Start(start)!, url);
    }

    /// <summary>
    /// Starts `baton up --agents 1` in <paramref name="dataDir"/> with <paramref name="adminToken"/> as its first admin token,
    /// and waits until it is ready; answers it with an API client that sends that token.
    /// </summary>
    public static async Task<(BatonProcess Baton, HttpClient Api)> StartUpAsync(string dataDir, string adminToken, TimeSpan timeout)
    {
        var baton = Start($"up --agents 1 --urls {{url}} --data-dir \"{dataDir}\"",
            new Dictionary<string, string> { ["BATON_BOOTSTRAP_TOKEN"] = adminToken });
        var api = new HttpClient { BaseAddress = new Uri(baton.Url) };
        api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", adminToken);
        await Eventually.TrueAsync(async () =>
        {
            Assert.False(baton.HasExited, $"baton up exited:\n{baton.Output}");
            try
            {
                return (await api.GetAsync("/healthz/ready")).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, timeout, "baton up to be ready");
        return (baton, api);
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(deadline.Token);
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: the process gets no chance to clean up (a crash, or a machine losing power).</summary>
    public async Task KillHardAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    /// <summary>Sends a POSIX signal (SIGSTOP, SIGCONT, SIGTERM) to the process.</summary>
    public void Signal(string name)
    {
        using var kill = Process.Start("kill", $"-{name} {_process.Id}");
        kill.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    /// <summary>baton.dll as built next to this test project (same configuration).</summary>
    private static string ExecutablePath()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "baton.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("baton.dll is not next to the tests; build the solution first", path);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
