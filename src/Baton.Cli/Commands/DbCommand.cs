using System.CommandLine;
using Baton.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Baton.Cli.Commands;

/// <summary>`baton db migrate`: bring the configured database's schema up to date, then exit.</summary>
internal static class DbCommand
{
    public static Command Create()
    {
        var dataDir = HostOptions.DataDir();
        var migrate = new Command("migrate", "Apply pending migrations to the configured database") { dataDir };
        migrate.SetAction((result, cancellationToken) => OfflineHost.RunAsync(
            HostOptions.Settings(null, result.GetValue(dataDir), forceSqlite: false),
            async (services, token) =>
            {
                var applied = await services.GetRequiredService<BatonDbContext>().Database.GetAppliedMigrationsAsync(token);
                Console.Out.WriteLine($"Database is up to date ({applied.Count()} migrations applied).");
                return 0;
            },
            cancellationToken));
        return new Command("db", "Database maintenance") { migrate };
    }
}
