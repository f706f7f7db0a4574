using Baton.Agent;
using Baton.Agent.Hosting;
using Baton.Persistence.Storage;
using Baton.Server.Features.Tokens;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Baton.Cli.Commands;

/// <summary>
/// The agents of <c>baton up --agents N</c>: real agents in the server's process that speak the
/// same HTTP protocol to the server's own address as any remote agent (no in-process shortcut),
/// with a token issued at start. They start once every hosted service has started (the web server
/// listens by then) and drain their runs when stopping begins, before any hosted service stops.
/// </summary>
internal sealed class EmbeddedAgents(int count, IServiceProvider services, IServer server, ILoggerFactory loggerFactory, TimeProvider clock)
    : IHostedLifecycleService, IDisposable
{
    /// <summary>Every agent of `baton up` carries these, so runs labelled for this machine find it.</summary>
    public static readonly IReadOnlyList<string> Labels = ["local", OperatingSystem.IsLinux() ? "linux" : "unix"];

    private readonly CancellationTokenSource _stop = new();
    private readonly HttpClient _http = AgentHost.CreateHttpClient();
    private Task _agents = Task.CompletedTask;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        if (count == 0)
        {
            return;
        }
        string token;
        await using (var scope = services.CreateAsyncScope())
        {
            token = await scope.ServiceProvider.GetRequiredService<EmbeddedAgentToken>().IssueAsync(cancellationToken);
        }
        var storage = services.GetRequiredService<IOptions<StorageOptions>>().Value;
        var address = OwnAddress();
        _agents = Task.WhenAll(Enumerable.Range(1, count).Select(i => new AgentHost(new AgentOptions
        {
            Server = address,
            Token = token,
            Name = $"{Environment.MachineName}-up-{i}",
            Labels = Labels,
            WorkDirectory = Path.GetFullPath(Path.Combine(storage.DataDirectory, "agents", $"up-{i}")),
            DrainGrace = TimeSpan.FromSeconds(10),
        }, _http, loggerFactory, clock).RunAsync(_stop.Token)));
    }

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync();
        await _agents.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        _stop.Dispose();
        _http.Dispose();
    }

    /// <summary>Where this process listens, as a loopback URL when it listens on every interface.</summary>
    private Uri OwnAddress()
    {
        var first = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("the server has no address for its embedded agents");
        var uri = new UriBuilder(first.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal));
        if (uri.Host is "0.0.0.0" or "[::]" or "::")
        {
            uri.Host = "127.0.0.1";
        }
        return uri.Uri;
    }
}
