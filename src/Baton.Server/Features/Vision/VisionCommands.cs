using Baton.Core.Projects;
using Baton.Persistence;
using Baton.Persistence.Configurations;
using Baton.Server.Features.Projects;
using Baton.Server.Infrastructure.Audit;
using Baton.Server.Infrastructure.Errors;
using Microsoft.EntityFrameworkCore;

namespace Baton.Server.Features.Vision;

public sealed class VisionCommands(BatonDbContext db, AuditTrail audit, TimeProvider clock)
{
    public async Task<Outcome<VisionVersion>> SubmitAsync(string key, string text, string actor, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        errors.RequireText("text", text, Limits.VisionLength);
        if (errors.Any)
        {
            return errors.ToFailure();
        }
        var project = await db.FindIdAsync(key, cancellationToken);
        if (project.Failure is { } failure)
        {
            return failure;
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = clock.GetUtcNow();
        // Locks the project row first, so concurrent submissions queue and number 1, 2, 3 in turn.
        await db.Projects.Where(p => p.Id == project.Value)
            .ExecuteUpdateAsync(set => set.SetProperty(p => p.UpdatedAt, now), cancellationToken);
        var latest = await db.VisionVersions.Where(v => v.ProjectId == project.Value)
            .MaxAsync(v => (int?)v.Version, cancellationToken) ?? 0;
        var vision = new VisionVersion(project.Value, latest + 1, text, actor, now);
        db.VisionVersions.Add(vision);
        audit.Record(actor, "vision.submitted", $"project:{key}", $"version={vision.Version}");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return vision;
    }
}
