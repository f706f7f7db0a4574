using Baton.Persistence.Storage;
using Baton.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Baton.Cli.Commands;

/// <summary>Runs the server until Ctrl-C or SIGTERM, turning start-up failures into one clear line.</summary>
internal static class ServerRunner
{
    /// <param name="embeddedAgents">Agents to run in this process (`baton up --agents N`); they talk to this server over HTTP.</param>
    public static async Task<int> RunAsync(Dictionary<string, string?> settings, bool writePidFile, int embeddedAgents,
        CancellationToken cancellationToken)
    {
        return await CliErrors.GuardAsync(async () =>
        {
            var builder = BatonServerApp.CreateBuilder(settings);
            builder.Services.AddHostedService(services => ActivatorUtilities.CreateInstance<EmbeddedAgents>(services, embeddedAgents));
            var app = BatonServerApp.Build(builder);
            var storage = app.Services.GetRequiredService<IOptions<StorageOptions>>().Value;
            var pidFile = writePidFile ? PidFile.Write(storage.DataDirectory) : null;
            try
            {
                await app.StartAsync(cancellationToken);
                var urls = string.Join(", ", app.Urls);
                var where = storage.IsSqlite ? $"SQLite in {Path.GetFullPath(storage.DataDirectory)}" : "PostgreSQL";
                var agents = embeddedAgents == 0 ? "no embedded agents" : $"{embeddedAgents} embedded agent{(embeddedAgents == 1 ? "" : "s")}";
                Console.Out.WriteLine($"Baton is up at {urls} ({where}, {agents}). API reference: {app.Urls.First().TrimEnd('/')}/docs. Ctrl-C stops it.");
                await app.WaitForShutdownAsync(cancellationToken);
            }
            finally
            {
                await app.DisposeAsync();
                pidFile?.Delete();
            }
            return 0;
        });
    }
}
