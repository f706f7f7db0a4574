using Baton.Contracts.Paging;
using Baton.Core.Audit;
using Baton.Persistence;
using Baton.Persistence.Configurations;
using Baton.Server.Infrastructure.Auth;
using Baton.Server.Infrastructure.Errors;
using Baton.Server.Infrastructure.Paging;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Baton.Server.Features.Audit;

/// <summary>The audit log, newest first, for admins: who did what to which subject, from where, and when.</summary>
public static class AuditApi
{
    public static RouteGroupBuilder MapAudit(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/audit").WithTags("Audit").RequireAuthorization(Policies.Admin);
        group.MapGet("/", List)
            .WithSummary("Read the audit log")
            .WithDescription("Newest first, paginated. Filters: `actor` (a token's name, exactly); `action` (exactly, or a family: `run` "
                + "matches `run.created`, `run.approved`...); `subject` (exactly, or everything under it: `project:demo` matches "
                + "`project:demo/WI-1`); `since` and `until` (times). Refused credentials are recorded as `auth.failed` "
                + "(unknown, revoked or expired token) and `auth.forbidden` (a role that may not do this).");
        return group;
    }

    private static async Task<Results<Ok<Page<AuditEventDto>>, ProblemHttpResult>> List(string? actor, string? action, string? subject,
        DateTimeOffset? since, DateTimeOffset? until, [AsParameters] PageQuery query, BatonDbContext db, CancellationToken cancellationToken)
    {
        var page = query.Resolve();
        if (page.Failure is { } invalidPage)
        {
            return invalidPage.ToResult();
        }
        var errors = new FieldErrors();
        errors.TimeRange(since, until);
        // No stored actor, action or subject is longer than a subject.
        foreach (var (name, value) in new[] { ("actor", actor), ("action", action), ("subject", subject) })
        {
            if (value is { Length: 0 or > Limits.AuditSubjectLength })
            {
                errors.Add(name, $"'{name}' must be 1 to {Limits.AuditSubjectLength} characters");
            }
        }
        if (errors.Any)
        {
            return errors.ToFailure().ToResult();
        }
        var (limit, after) = page.Value;
        var before = after == 0 ? long.MaxValue : after;
        var rows = await Filtered(db.AuditEvents.AsNoTracking(), actor, action, subject, since, until)
            .Where(e => e.Id < before).OrderByDescending(e => e.Id).Take(limit + 1).ToListAsync(cancellationToken);
        return TypedResults.Ok(Pages.From(rows, limit, e => e.Id, AuditEventDto.From));
    }

    private static IQueryable<AuditEvent> Filtered(IQueryable<AuditEvent> events, string? actor, string? action, string? subject,
        DateTimeOffset? since, DateTimeOffset? until)
    {
        if (actor is not null)
        {
            events = events.Where(e => e.Actor == actor);
        }
        if (action is not null)
        {
            var family = action + ".";
            events = events.Where(e => e.Action == action || e.Action.StartsWith(family));
        }
        if (subject is not null)
        {
            var under = subject + "/";
            events = events.Where(e => e.Subject == subject || e.Subject.StartsWith(under));
        }
        if (since is not null)
        {
            events = events.Where(e => e.At >= since);
        }
        if (until is not null)
        {
            events = events.Where(e => e.At < until);
        }
        return events;
    }
}
