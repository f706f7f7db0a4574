using Baton.Server.Features.Exec;
using Baton.Server.Features.Observability;
using Baton.Server.Features.Projects;
using Baton.Server.Features.Seed;
using Baton.Server.Features.Recipes;
using Baton.Server.Features.Requirements;
using Baton.Server.Features.Runs;
using Baton.Server.Features.Secrets;
using Baton.Server.Features.Vision;
using Baton.Server.Features.WorkItems;
using Baton.Server.Features.Tokens;
using Baton.Server.Infrastructure.Audit;

namespace Baton.Server.Features;

public static class FeatureServices
{
    public static IServiceCollection AddBatonFeatures(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddScoped<AuditTrail>();
        services.AddScoped<BootstrapToken>();
        services.AddScoped<EmbeddedAgentToken>();
        services.AddScoped<ProjectCommands>();
        services.AddScoped<VisionCommands>();
        services.AddScoped<RequirementCommands>();
        services.AddScoped<WorkItemCommands>();
        services.AddScoped<RecipeCommands>();
        services.AddSingleton<SecretVault>();
        services.AddSingleton<SecretMaskers>();
        services.AddScoped<SampleProjectSeeder>();
        services.AddRuns();
        services.AddScoped<AdHocRuns>();
        services.AddObservability();
        return services;
    }
}
