using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.LoadBalancing;

namespace Baton.Chaos.Cluster;

/// <summary>
/// The round-robin front before the replicas (YARP), as an operator's load balancer would be:
/// every request, long polls and WebSockets included, goes to the next replica; a replica that
/// fails its readiness probe twice, or a request's connection, is left out until it answers again.
/// </summary>
public sealed class Front : IAsyncDisposable
{
    private readonly WebApplication _app;

    private Front(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    public string Url { get; }

    public static async Task<Front> StartAsync(string url, IReadOnlyList<string> replicas)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        // Silent: its failures (a replica dead mid-request, a probe refused) are the faults the run makes on purpose,
        // and what they do shows in the client's retries and the replicas' own logs. No provider also means no
        // appsettings.json beside the tool (the server's, copied with baton.dll) can turn its logging back on.
        builder.Logging.ClearProviders();
        builder.Services.AddReverseProxy().LoadFromMemory(
            [new RouteConfig { RouteId = "all", ClusterId = "replicas", Match = new RouteMatch { Path = "{**path}" } }],
            [new ClusterConfig
            {
                ClusterId = "replicas",
                LoadBalancingPolicy = LoadBalancingPolicies.RoundRobin,
                Destinations = replicas.Select((replica, index) => (replica, index))
                    .ToDictionary(pair => $"replica-{pair.index + 1}", pair => new DestinationConfig { Address = pair.replica }),
                HealthCheck = new HealthCheckConfig
                {
                    Active = new ActiveHealthCheckConfig
                    {
                        Enabled = true,
                        Interval = TimeSpan.FromSeconds(1),
                        Timeout = TimeSpan.FromSeconds(1),
                        Policy = HealthCheckConstants.ActivePolicy.ConsecutiveFailures,
                        Path = "/healthz/ready",
                    },
                    Passive = new PassiveHealthCheckConfig
                    {
                        Enabled = true,
                        Policy = HealthCheckConstants.PassivePolicy.TransportFailureRate,
                        ReactivationPeriod = TimeSpan.FromSeconds(2),
                    },
                },
            }]);
        var app = builder.Build();
        app.MapReverseProxy();
        await app.StartAsync();
        return new Front(app, url);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
