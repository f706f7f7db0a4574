using Baton.Core.Projects;
using Baton.Core.Recipes;
using Baton.Core.Requirements;
using Baton.Core.WorkItems;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Baton.Persistence.Configurations;

internal sealed class WorkItemConfiguration : IEntityTypeConfiguration<WorkItem>
{
    public void Configure(EntityTypeBuilder<WorkItem> builder)
    {
        builder.HasKey(w => w.Id);
        builder.HasIndex(w => new { w.ProjectId, w.Number }).IsUnique();
        builder.HasOne<Project>().WithMany().HasForeignKey(w => w.ProjectId).OnDelete(DeleteBehavior.Cascade);
        builder.Ignore(w => w.Key);
        builder.Property(w => w.Title).HasMaxLength(Limits.NameLength);
        builder.Property(w => w.Description).HasMaxLength(Limits.DescriptionLength);
        builder.Property(w => w.CreatedBy).HasMaxLength(Limits.ActorLength);
        builder.Property(w => w.ConcurrencyGroup).HasMaxLength(Limits.LabelLength);
    }
}

internal sealed class WorkItemRequirementConfiguration : IEntityTypeConfiguration<WorkItemRequirement>
{
    public void Configure(EntityTypeBuilder<WorkItemRequirement> builder)
    {
        builder.HasKey(l => new { l.WorkItemId, l.RequirementId });
        // The traceability view walks from a requirement to its work items.
        builder.HasIndex(l => l.RequirementId);
        builder.HasOne<WorkItem>().WithMany().HasForeignKey(l => l.WorkItemId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Requirement>().WithMany().HasForeignKey(l => l.RequirementId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class WorkItemDependencyConfiguration : IEntityTypeConfiguration<WorkItemDependency>
{
    public void Configure(EntityTypeBuilder<WorkItemDependency> builder)
    {
        builder.HasKey(d => new { d.WorkItemId, d.DependsOnId });
        // Finding dependents (who waits on me) is the scheduler's hot direction.
        builder.HasIndex(d => d.DependsOnId);
        builder.HasOne<WorkItem>().WithMany().HasForeignKey(d => d.WorkItemId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<WorkItem>().WithMany().HasForeignKey(d => d.DependsOnId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class RecipeVersionConfiguration : IEntityTypeConfiguration<RecipeVersion>
{
    public void Configure(EntityTypeBuilder<RecipeVersion> builder)
    {
        builder.HasKey(r => r.Id);
        builder.HasIndex(r => new { r.WorkItemId, r.Version }).IsUnique();
        builder.HasOne<WorkItem>().WithMany().HasForeignKey(r => r.WorkItemId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(r => r.ContentHash).HasMaxLength(80);
        builder.Property(r => r.CreatedBy).HasMaxLength(Limits.ActorLength);
    }
}
