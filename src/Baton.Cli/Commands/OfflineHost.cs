using Baton.Persistence;
using Baton.Persistence.Storage;
using Baton.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Baton.Cli.Commands;

/// <summary>The server's services without its web server: for commands that work on storage directly.</summary>
internal static class OfflineHost
{
    /// <summary>Builds the services, brings the schema up to date (unless <paramref name="migrate"/> is false: the work does it), then runs the work.</summary>
    public static async Task<int> RunAsync(Dictionary<string, string?> settings, Func<IServiceProvider, CancellationToken, Task<int>> work,
        CancellationToken cancellationToken, bool migrate = true) =>
        await CliErrors.GuardAsync(async () =>
        {
            await using var app = BatonServerApp.Build(BatonServerApp.CreateBuilder(settings));
            var storage = app.Services.GetRequiredService<IOptions<StorageOptions>>().Value;
            await using var scope = app.Services.CreateAsyncScope();
            if (migrate)
            {
                await scope.ServiceProvider.GetRequiredService<BatonDbContext>().MigrateAsync(storage, cancellationToken);
            }
            return await work(scope.ServiceProvider, cancellationToken);
        });
}
