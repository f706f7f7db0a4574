using Baton.Core.Access;
using Baton.Core.Agents;
using Baton.Core.Audit;
using Baton.Core.Plans;
using Baton.Core.Projects;
using Baton.Core.Recipes;
using Baton.Core.Requirements;
using Baton.Core.Runs;
using Baton.Core.Secrets;
using Baton.Core.WorkItems;
using Baton.Persistence.Conventions;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Baton.Persistence;

/// <summary>
/// The one EF Core context for both providers. Migrations live in one assembly per
/// provider (Baton.Persistence.Sqlite, Baton.Persistence.Postgres).
/// </summary>
public sealed class BatonDbContext(DbContextOptions<BatonDbContext> options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<Project> Projects => Set<Project>();
    public DbSet<VisionVersion> VisionVersions => Set<VisionVersion>();
    public DbSet<Requirement> Requirements => Set<Requirement>();
    public DbSet<WorkItem> WorkItems => Set<WorkItem>();
    public DbSet<WorkItemRequirement> WorkItemRequirements => Set<WorkItemRequirement>();
    public DbSet<WorkItemDependency> WorkItemDependencies => Set<WorkItemDependency>();
    public DbSet<RecipeVersion> RecipeVersions => Set<RecipeVersion>();
    public DbSet<Run> Runs => Set<Run>();
    public DbSet<RunStep> RunSteps => Set<RunStep>();
    public DbSet<LogChunk> LogChunks => Set<LogChunk>();
    public DbSet<RunApproval> RunApprovals => Set<RunApproval>();
    public DbSet<Agent> Agents => Set<Agent>();
    public DbSet<Plan> Plans => Set<Plan>();
    public DbSet<PlanItem> PlanItems => Set<PlanItem>();
    public DbSet<Schedule> Schedules => Set<Schedule>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();
    public DbSet<SystemMarker> SystemMarkers => Set<SystemMarker>();
    public DbSet<ProjectSecret> ProjectSecrets => Set<ProjectSecret>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        // Enums are stored by name: readable in the database and safe to reorder in code.
        configurationBuilder.Properties<Enum>().HaveConversion<string>().HaveMaxLength(32);
        if (Database.IsSqlite())
        {
            // SQLite has no date type; UTC ticks keep timestamps sortable and comparable in SQL.
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
        }
        else
        {
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcConverter>();
        }
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(BatonDbContext).Assembly);
    }
}
