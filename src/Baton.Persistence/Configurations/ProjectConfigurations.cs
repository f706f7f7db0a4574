using Baton.Core.Projects;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Baton.Persistence.Configurations;

internal sealed class ProjectConfiguration : IEntityTypeConfiguration<Project>
{
    public void Configure(EntityTypeBuilder<Project> builder)
    {
        builder.HasKey(p => p.Id);
        builder.HasIndex(p => p.Key).IsUnique();
        builder.Property(p => p.Key).HasMaxLength(ProjectKey.MaxLength);
        builder.Property(p => p.Name).HasMaxLength(Limits.NameLength);
        builder.Property(p => p.Description).HasMaxLength(Limits.DescriptionLength);
        builder.Property(p => p.CreatedBy).HasMaxLength(Limits.ActorLength);
        builder.Ignore(p => p.Policy);
    }
}

internal sealed class VisionVersionConfiguration : IEntityTypeConfiguration<VisionVersion>
{
    public void Configure(EntityTypeBuilder<VisionVersion> builder)
    {
        builder.HasKey(v => v.Id);
        builder.HasIndex(v => new { v.ProjectId, v.Version }).IsUnique();
        builder.HasOne<Project>().WithMany().HasForeignKey(v => v.ProjectId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(v => v.CreatedBy).HasMaxLength(Limits.ActorLength);
    }
}
