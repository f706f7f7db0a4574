using Baton.Persistence;
using Baton.Persistence.Storage;
using Baton.Server.Features.Tokens;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Baton.Server.Infrastructure.Storage;

/// <summary>
/// Before the server takes requests: bring the schema up to date and, on a fresh
/// installation, make the first admin token. Once the server listens, print that token
/// (if Baton generated it) with an example call: the only time it is ever shown.
/// </summary>
internal sealed partial class StorageStartup(
    IServiceScopeFactory scopes,
    IOptions<StorageOptions> storage,
    IServer server,
    ILogger<StorageStartup> logger) : IHostedLifecycleService
{
    private string? _generatedSecret;

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BatonDbContext>();
        await db.MigrateAsync(storage.Value, cancellationToken);
        Log.Migrated(logger, storage.Value.Provider);
        var bootstrap = scope.ServiceProvider.GetRequiredService<BootstrapToken>();
        _generatedSecret = await bootstrap.EnsureAsync(cancellationToken);
    }

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        if (_generatedSecret is { } secret)
        {
            var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://127.0.0.1:5080";
            // Written to the console for the person starting Baton, never to the log sinks.
            Console.Out.WriteLine($"""

                Baton generated the first admin token. It is shown only now; keep it safe:

                    {secret}

                Open the UI (this link logs straight in): {address.TrimEnd('/')}/login#token={secret}
                Or try the API: curl -H "Authorization: Bearer {secret}" {address.TrimEnd('/')}/api/projects

                """);
            _generatedSecret = null;
        }
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Storage ready ({Provider}); schema is up to date")]
        public static partial void Migrated(ILogger logger, string provider);
    }
}
