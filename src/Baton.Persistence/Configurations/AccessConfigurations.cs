using Baton.Core.Access;
using Baton.Core.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Baton.Persistence.Configurations;

internal sealed class ApiTokenConfiguration : IEntityTypeConfiguration<ApiToken>
{
    public void Configure(EntityTypeBuilder<ApiToken> builder)
    {
        builder.HasKey(t => t.Id);
        // Every authenticated request looks its token up by hash.
        builder.HasIndex(t => t.SecretHash).IsUnique();
        builder.Property(t => t.SecretHash).HasMaxLength(64);
        builder.Property(t => t.DisplayPrefix).HasMaxLength(ApiTokenSecret.DisplayPrefixLength);
        builder.Property(t => t.Name).HasMaxLength(Limits.NameLength);
        builder.Property(t => t.CreatedBy).HasMaxLength(Limits.ActorLength);
    }
}

internal sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> builder)
    {
        builder.HasKey(a => a.Id);
        builder.HasIndex(a => a.Subject);
        // GET /api/audit?actor= and ?action=, newest first.
        builder.HasIndex(a => new { a.Actor, a.Id });
        builder.HasIndex(a => new { a.Action, a.Id });
        builder.Property(a => a.Actor).HasMaxLength(Limits.ActorLength);
        builder.Property(a => a.Action).HasMaxLength(100);
        builder.Property(a => a.Subject).HasMaxLength(Limits.AuditSubjectLength);
        builder.Property(a => a.SourceAddress).HasMaxLength(64);
    }
}

internal sealed class SystemMarkerConfiguration : IEntityTypeConfiguration<SystemMarker>
{
    public void Configure(EntityTypeBuilder<SystemMarker> builder)
    {
        builder.HasKey(m => m.Key);
        builder.Property(m => m.Key).HasMaxLength(100);
    }
}
