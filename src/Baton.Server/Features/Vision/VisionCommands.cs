using Baton.Core.Projects;
using Baton.Persistence;
using Baton.Persistence.Configurations;
using Baton.Persistence.Storage;
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
        var latest = await db.VisionVersions.Where(v => v.ProjectId == project.Value)
            .MaxAsync(v => (int?)v.Version, cancellationToken) ?? 0;
        var vision = new VisionVersion(project.Value, latest + 1, text, actor, clock.GetUtcNow());
        db.VisionVersions.Add(vision);
        audit.Record(actor, "vision.submitted", $"project:{key}", $"version={vision.Version}");
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (DbErrors.IsUniqueViolation(exception))
        {
            // Two submissions raced for the same version number; the later one retries.
            return Failure.Conflict($"another vision version of '{key}' was submitted at the same moment; submit again");
        }
        return vision;
    }
}
