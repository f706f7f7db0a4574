using System.CommandLine;
using Baton.Server.Features.Seed;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Baton.Cli.Commands;

/// <summary>`baton seed`: create the sample project in the configured storage.</summary>
internal static class SeedCommand
{
    public static Command Create()
    {
        var dataDir = HostOptions.DataDir();
        var command = new Command("seed", $"Create the sample project '{SampleProjectSeeder.ProjectKey}' (vision, requirements, work items, recipes)") { dataDir };
        command.SetAction((result, cancellationToken) => OfflineHost.RunAsync(
            HostOptions.Settings(null, result.GetValue(dataDir), forceSqlite: false),
            async (services, token) =>
            {
                var created = await AnsiConsole.Status().StartAsync($"Creating the sample project '{SampleProjectSeeder.ProjectKey}'…",
                    _ => services.GetRequiredService<SampleProjectSeeder>().SeedAsync(token));
                Console.Out.WriteLine(created
                    ? $"Created sample project '{SampleProjectSeeder.ProjectKey}'."
                    : $"Sample project '{SampleProjectSeeder.ProjectKey}' already exists; nothing to do.");
                return 0;
            },
            cancellationToken));
        return command;
    }
}
