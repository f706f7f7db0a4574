using Baton.Core.Projects;
using Baton.Core.Secrets;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Baton.Persistence.Configurations;

internal sealed class ProjectSecretConfiguration : IEntityTypeConfiguration<ProjectSecret>
{
    public void Configure(EntityTypeBuilder<ProjectSecret> builder)
    {
        builder.HasKey(s => s.Id);
        builder.HasIndex(s => new { s.ProjectId, s.Name }).IsUnique();
        builder.HasOne<Project>().WithMany().HasForeignKey(s => s.ProjectId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(s => s.Name).HasMaxLength(SecretName.MaxLength);
        // A protected payload is about 4/3 of (value + ~100 bytes of header); values are at most 64 KiB.
        builder.Property(s => s.ProtectedValue).HasMaxLength(100_000);
        builder.Property(s => s.CreatedBy).HasMaxLength(Limits.ActorLength);
        builder.Property(s => s.UpdatedBy).HasMaxLength(Limits.ActorLength);
    }
}

/// <summary>Data Protection's key ring, when it is kept in the database (PostgreSQL replicas share it).</summary>
internal sealed class DataProtectionKeyConfiguration : IEntityTypeConfiguration<DataProtectionKey>
{
    public void Configure(EntityTypeBuilder<DataProtectionKey> builder)
    {
        builder.HasKey(k => k.Id);
        builder.Property(k => k.FriendlyName).HasMaxLength(200);
    }
}
