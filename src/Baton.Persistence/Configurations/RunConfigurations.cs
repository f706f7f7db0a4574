using Baton.Core.Agents;
using Baton.Core.Projects;
using Baton.Core.Runs;
using Baton.Core.WorkItems;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Baton.Persistence.Configurations;

internal sealed class RunConfiguration : IEntityTypeConfiguration<Run>
{
    public void Configure(EntityTypeBuilder<Run> builder)
    {
        builder.HasKey(r => r.Id);
        builder.HasIndex(r => new { r.WorkItemId, r.Number }).IsUnique();
        builder.HasOne<WorkItem>().WithMany().HasForeignKey(r => r.WorkItemId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Project>().WithMany().HasForeignKey(r => r.ProjectId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Agent>().WithMany().HasForeignKey(r => r.AgentId).OnDelete(DeleteBehavior.SetNull);
        // The claim's hot filter: only queued runs, best first. Partial, so it stays as small as the queue.
        builder.HasIndex(r => new { r.Priority, r.Id }).IsDescending(true, false).HasFilter("status = 'Queued' AND held = FALSE")
            .HasDatabaseName("ix_runs_claimable");
        // Admission to concurrency groups: a group's runs by status, and the held runs waiting for a slot.
        builder.HasIndex(r => new { r.ProjectId, r.ConcurrencyGroup, r.Status }).HasFilter("concurrency_group IS NOT NULL")
            .HasDatabaseName("ix_runs_groups");
        builder.HasIndex(r => new { r.ProjectId, r.ConcurrencyGroup, r.Priority, r.Id }).IsDescending(false, false, true, false)
            .HasFilter("held = TRUE AND status = 'Queued'").HasDatabaseName("ix_runs_held");
        builder.Property(r => r.ConcurrencyGroup).HasMaxLength(Limits.LabelLength);
        // The reaper's: running runs by lease expiry.
        builder.HasIndex(r => r.LeaseExpiresAt).HasFilter("status = 'Running'").HasDatabaseName("ix_runs_leases");
        // Lists: by project or status, newest first.
        builder.HasIndex(r => new { r.ProjectId, r.Id });
        builder.HasIndex(r => new { r.Status, r.Id });
        builder.HasIndex(r => new { r.AgentId, r.Status });
        builder.Property(r => r.RecipeHash).HasMaxLength(80);
        builder.Property(r => r.RequestedBy).HasMaxLength(Limits.ActorLength);
        builder.Property(r => r.StatusReason).HasMaxLength(Limits.ReasonLength);
        builder.Property(r => r.TraceId).HasMaxLength(32);
        builder.Property(r => r.JobTokenHash).HasMaxLength(64);
        // Every agent call about a run finds the run by its job token.
        builder.HasIndex(r => r.JobTokenHash).IsUnique();
        builder.Property(r => r.SpanId).HasMaxLength(16);
        builder.Ignore(r => r.DurationSeconds);
        // People's changes (cancel, approve) are saved only if no agent or reaper moved the run meanwhile.
        builder.Property(r => r.Status).IsConcurrencyToken();
    }
}

internal sealed class RunStepConfiguration : IEntityTypeConfiguration<RunStep>
{
    public void Configure(EntityTypeBuilder<RunStep> builder)
    {
        builder.HasKey(s => new { s.RunId, s.Index });
        builder.HasOne<Run>().WithMany().HasForeignKey(s => s.RunId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(s => s.Name).HasMaxLength(Limits.NameLength);
        builder.Property(s => s.SpanId).HasMaxLength(16);
        builder.Ignore(s => s.DurationSeconds);
    }
}

internal sealed class LogChunkConfiguration : IEntityTypeConfiguration<LogChunk>
{
    public void Configure(EntityTypeBuilder<LogChunk> builder)
    {
        // The key is also the read path: a run's lines after N, in order.
        builder.HasKey(c => new { c.RunId, c.FirstLine });
        builder.HasOne<Run>().WithMany().HasForeignKey(c => c.RunId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class RunApprovalConfiguration : IEntityTypeConfiguration<RunApproval>
{
    public void Configure(EntityTypeBuilder<RunApproval> builder)
    {
        builder.HasKey(a => a.RunId);
        builder.HasOne<Run>().WithOne().HasForeignKey<RunApproval>(a => a.RunId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(a => a.RecipeHash).HasMaxLength(80);
        builder.Property(a => a.RequestedBy).HasMaxLength(Limits.ActorLength);
        builder.Property(a => a.Revision).IsConcurrencyToken();
        builder.Ignore(a => a.Approvals);
        // The scheduler's: pending approvals by expiry.
        builder.HasIndex(a => a.ExpiresAt).HasFilter("outcome = 'Pending'").HasDatabaseName("ix_run_approvals_expiry");
        builder.OwnsMany(a => a.Decisions, decision =>
        {
            decision.ToTable("approval_decisions");
            decision.WithOwner().HasForeignKey("RunId");
            decision.Property<long>("Id");
            decision.HasKey("Id");
            decision.Property(d => d.Actor).HasMaxLength(Limits.ActorLength);
            decision.Property(d => d.Comment).HasMaxLength(Limits.ReasonLength);
        });
        builder.Navigation(a => a.Decisions).UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class AgentConfiguration : IEntityTypeConfiguration<Agent>
{
    public void Configure(EntityTypeBuilder<Agent> builder)
    {
        builder.HasKey(a => a.Id);
        builder.HasIndex(a => a.Name).IsUnique();
        builder.Property(a => a.Name).HasMaxLength(Agent.NameLength);
        builder.Property(a => a.Version).HasMaxLength(50);
    }
}
