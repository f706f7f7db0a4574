using Baton.Core.Plans;
using Baton.Core.Projects;
using Baton.Core.Runs;
using Baton.Core.WorkItems;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Baton.Persistence.Configurations;

internal sealed class PlanConfiguration : IEntityTypeConfiguration<Plan>
{
    public void Configure(EntityTypeBuilder<Plan> builder)
    {
        builder.HasKey(p => p.Id);
        builder.HasOne<Project>().WithMany().HasForeignKey(p => p.ProjectId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(p => new { p.ProjectId, p.Id });
        // The scheduler's pass looks only at plans still running.
        builder.HasIndex(p => p.Id).HasFilter("status = 'Running'").HasDatabaseName("ix_plans_running");
        builder.Property(p => p.RequestedBy).HasMaxLength(Limits.ActorLength);
    }
}

internal sealed class PlanItemConfiguration : IEntityTypeConfiguration<PlanItem>
{
    public void Configure(EntityTypeBuilder<PlanItem> builder)
    {
        builder.HasKey(i => i.Id);
        builder.HasIndex(i => new { i.PlanId, i.WorkItemId }).IsUnique();
        builder.HasOne<Plan>().WithMany().HasForeignKey(i => i.PlanId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<WorkItem>().WithMany().HasForeignKey(i => i.WorkItemId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Run>().WithMany().HasForeignKey(i => i.RunId).OnDelete(DeleteBehavior.SetNull);
        // The tick queue: ready items, highest priority then earliest due first.
        builder.HasIndex(i => new { i.Priority, i.DueAt }).IsDescending(true, false).HasFilter("status = 'Ready'").HasDatabaseName("ix_plan_items_ready");
        builder.HasIndex(i => i.RunId);
        builder.HasOne<Run>().WithMany().HasForeignKey(i => i.PreviousRunId).OnDelete(DeleteBehavior.SetNull);
        builder.Property(i => i.Reason).HasMaxLength(Limits.ReasonLength);
    }
}

internal sealed class ScheduleConfiguration : IEntityTypeConfiguration<Schedule>
{
    public void Configure(EntityTypeBuilder<Schedule> builder)
    {
        builder.HasKey(s => s.Id);
        builder.HasOne<Project>().WithMany().HasForeignKey(s => s.ProjectId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(s => new { s.ProjectId, s.Id });
        // The scheduler's look for schedules due.
        builder.HasIndex(s => s.NextRunAt).HasFilter("paused = FALSE").HasDatabaseName("ix_schedules_due");
        builder.Property(s => s.Cron).HasMaxLength(Schedule.CronLength);
        builder.Property(s => s.TimeZone).HasMaxLength(64);
        builder.Property(s => s.CreatedBy).HasMaxLength(Limits.ActorLength);
    }
}
