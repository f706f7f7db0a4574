using System.CommandLine;
using Baton.Persistence;
using Baton.Persistence.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Spectre.Console;

namespace Baton.Cli.Commands;

/// <summary>`baton db migrate`: bring the configured database's schema up to date, one migration at a time with progress, then exit.</summary>
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
                var db = services.GetRequiredService<BatonDbContext>();
                var storage = services.GetRequiredService<IOptions<StorageOptions>>().Value;
                if (AnsiConsole.Profile.Capabilities.Interactive)
                {
                    await MigrateWithBarAsync(db, storage, token);
                }
                else
                {
                    // Where nothing draws a bar (a pipe, CI logs), each migration gets its line.
                    await db.MigrateStepwiseAsync(storage, (name, index, count) =>
                        Console.Out.WriteLine($"Applying migration {index + 1} of {count}: {name}"), token);
                }
                var applied = await db.Database.GetAppliedMigrationsAsync(token);
                Console.Out.WriteLine($"Database is up to date ({applied.Count()} migrations applied).");
                return 0;
            },
            cancellationToken, migrate: false));
        return new Command("db", "Database maintenance") { migrate };
    }

    private static Task MigrateWithBarAsync(BatonDbContext db, StorageOptions storage, CancellationToken cancellationToken) =>
        AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn())
            .StartAsync(async progress =>
            {
                ProgressTask? task = null;
                await db.MigrateStepwiseAsync(storage, (name, index, count) =>
                {
                    task ??= progress.AddTask($"{count} migration(s)", maxValue: count);
                    task.Value = index;
                    task.Description = Markup.Escape($"migration {index + 1} of {count}: {name}");
                }, cancellationToken);
                if (task is not null)
                {
                    task.Value = task.MaxValue;
                }
            });
}
