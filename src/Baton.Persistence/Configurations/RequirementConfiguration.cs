using Baton.Core.Projects;
using Baton.Core.Requirements;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Baton.Persistence.Configurations;

internal sealed class RequirementConfiguration : IEntityTypeConfiguration<Requirement>
{
    public void Configure(EntityTypeBuilder<Requirement> builder)
    {
        builder.HasKey(r => r.Id);
        builder.HasIndex(r => new { r.ProjectId, r.Number }).IsUnique();
        // The list screen filters by status within a project.
        builder.HasIndex(r => new { r.ProjectId, r.Status });
        builder.HasOne<Project>().WithMany().HasForeignKey(r => r.ProjectId).OnDelete(DeleteBehavior.Cascade);
        builder.Ignore(r => r.Key);
        builder.Ignore(r => r.IsDecided);
        // Two people deciding at once: the second save finds the status changed and gets 409.
        builder.Property(r => r.Status).IsConcurrencyToken();
        builder.Property(r => r.Title).HasMaxLength(Limits.NameLength);
        builder.Property(r => r.Description).HasMaxLength(Limits.DescriptionLength);
        builder.Property(r => r.ProposedBy).HasMaxLength(Limits.ActorLength);
        builder.Property(r => r.DecidedBy).HasMaxLength(Limits.ActorLength);
        builder.Property(r => r.DecisionReason).HasMaxLength(Limits.ReasonLength);
    }
}
