using Baton.Persistence.Storage;
using Baton.Server.Configuration;
using Baton.Server.Features.Agents;
using Baton.Server.Features.Logs;
using Baton.Server.Infrastructure.Signals;
using Microsoft.Extensions.Options;

namespace Baton.Server.Features.Runs;

public static class RunServices
{
    /// <summary>Runs, the agent protocol, logs and their background loops.</summary>
    public static IServiceCollection AddRuns(this IServiceCollection services)
    {
        services.AddValidated<RunOptions>(options => options.Validate(), RunOptions.Section);
        services.AddSingleton<RunSignals>();
        services.AddSingleton(provider => new WriteGate(provider.GetRequiredService<IOptions<StorageOptions>>().Value.IsSqlite));
        services.AddScoped<RunCommands>();
        services.AddScoped<ApprovalExpiry>();
        services.AddScoped<RunCreator>();
        services.AddScoped<ConcurrencyGroups>();
        services.AddScoped<RunQueries>();
        services.AddSingleton<FinishedRunCache>();
        services.AddScoped<WaitingReasons>();
        services.AddScoped<AgentCommands>();
        services.AddSingleton<AgentSightings>();
        services.AddScoped<AgentQueries>();
        services.AddScoped<LeaseCommands>();
        services.AddScoped<LogIngestion>();
        services.AddScoped<LogReader>();
        services.AddScoped<LogSearcher>();
        services.AddScoped<Plans.PlanCommands>();
        services.AddScoped<Plans.PlanQueries>();
        services.AddScoped<Plans.Scheduler>();
        services.AddScoped<Plans.PlanProgress>();
        services.AddScoped<Plans.PlanStarter>();
        services.AddHostedService<LeaseReaper>();
        services.AddHostedService<Plans.SchedulerLoop>();
        services.AddHostedService<PostgresSignalBridge>();
        services.AddHostedService<LogSearchIndexer>();
        return services;
    }
}
