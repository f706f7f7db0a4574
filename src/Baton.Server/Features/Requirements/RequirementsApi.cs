using System.Security.Claims;
using Baton.Contracts.Paging;
using Baton.Core.Requirements;
using Baton.Persistence;
using Baton.Server.Features.Projects;
using Baton.Server.Infrastructure.Auth;
using Baton.Server.Infrastructure.Errors;
using Baton.Server.Infrastructure.Paging;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Baton.Server.Features.Requirements;

public static class RequirementsApi
{
    public static RouteGroupBuilder MapRequirements(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/projects/{key}/requirements").WithTags("Requirements").RequireAuthorization(Policies.Read);
        group.MapPost("/", Propose).RequireAuthorization(Policies.Write)
            .WithSummary("Propose a requirement")
            .WithDescription("Creates REQ-n (numbered per project) in status `proposed`, tied to the current vision version.");
        group.MapGet("/", List)
            .WithSummary("List requirements")
            .WithDescription("In number order, optionally filtered by `status` (proposed, approved, rejected, superseded); paginated.");
        group.MapGet("/{reqKey}", Get).WithSummary("Get a requirement");
        group.MapPost("/{reqKey}/approve", Approve).RequireAuthorization(Policies.Write)
            .WithSummary("Approve a requirement")
            .WithDescription("Records who approved it, when, and the optional comment. A decided requirement answers 409.");
        group.MapPost("/{reqKey}/reject", Reject).RequireAuthorization(Policies.Write)
            .WithSummary("Reject a requirement")
            .WithDescription("Needs a reason. A decided requirement answers 409.");
        return group;
    }

    private static async Task<Results<Created<RequirementDto>, ProblemHttpResult>> Propose(
        string key, ProposeRequirementRequest request, RequirementCommands commands, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var outcome = await commands.ProposeAsync(key, request, user.Actor(), cancellationToken);
        return outcome.Value is { } requirement
            ? TypedResults.Created($"/api/projects/{key}/requirements/{requirement.Key}", RequirementDto.From(requirement))
            : outcome.Failure!.ToResult();
    }

    private static async Task<Results<Ok<Page<RequirementDto>>, ProblemHttpResult>> List(
        string key, string? status, [AsParameters] PageQuery query, BatonDbContext db, CancellationToken cancellationToken)
    {
        var page = query.Resolve();
        if (page.Failure is { } invalidPage)
        {
            return invalidPage.ToResult();
        }
        RequirementStatus? filter = null;
        if (status is not null)
        {
            if (!Enum.TryParse<RequirementStatus>(status, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || int.TryParse(status, out _))
            {
                return Failure.Invalid("status", $"'status' must be proposed, approved, rejected or superseded (got '{status}')").ToResult();
            }
            filter = parsed;
        }
        var project = await db.FindIdAsync(key, cancellationToken);
        if (project.Failure is { } failure)
        {
            return failure.ToResult();
        }
        var (limit, after) = page.Value;
        var rows = await db.Requirements.AsNoTracking()
            .Where(r => r.ProjectId == project.Value && r.Number > after && (filter == null || r.Status == filter))
            .OrderBy(r => r.Number).Take(limit + 1).ToListAsync(cancellationToken);
        return TypedResults.Ok(Pages.From(rows, limit, r => r.Number, RequirementDto.From));
    }

    private static async Task<Results<Ok<RequirementDto>, ProblemHttpResult>> Get(
        string key, string reqKey, RequirementCommands commands, CancellationToken cancellationToken)
    {
        var outcome = await commands.FindAsync(key, reqKey, cancellationToken);
        return outcome.Value is { } requirement ? TypedResults.Ok(RequirementDto.From(requirement)) : outcome.Failure!.ToResult();
    }

    private static Task<Results<Ok<RequirementDto>, ProblemHttpResult>> Approve(
        string key, string reqKey, ApproveRequirementRequest? request, RequirementCommands commands, ClaimsPrincipal user,
        CancellationToken cancellationToken) =>
        Decide(commands.DecideAsync(key, reqKey, RequirementDecision.Approve, request?.Comment, user.Actor(), cancellationToken));

    private static Task<Results<Ok<RequirementDto>, ProblemHttpResult>> Reject(
        string key, string reqKey, RejectRequirementRequest request, RequirementCommands commands, ClaimsPrincipal user,
        CancellationToken cancellationToken) =>
        Decide(commands.DecideAsync(key, reqKey, RequirementDecision.Reject, request.Reason, user.Actor(), cancellationToken));

    private static async Task<Results<Ok<RequirementDto>, ProblemHttpResult>> Decide(Task<Outcome<Requirement>> decision)
    {
        var outcome = await decision;
        return outcome.Value is { } requirement ? TypedResults.Ok(RequirementDto.From(requirement)) : outcome.Failure!.ToResult();
    }
}
