using System.Security.Claims;
using Baton.Core.Recipes;
using Baton.Server.Features.Recipes;
using Baton.Server.Features.Runs;
using Baton.Server.Infrastructure.Auth;
using Baton.Server.Infrastructure.Errors;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Baton.Server.Features.Exec;

/// <summary><c>POST /api/projects/{key}/exec</c>: run a recipe once, as sent (what <c>baton exec</c> calls).</summary>
public static class ExecApi
{
    public static IEndpointRouteBuilder MapExec(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/api/projects/{key}/exec", Exec).WithTags("Runs").RequireAuthorization(Policies.Write)
            .AcceptsRecipe()
            .WithSummary("Run a recipe ad hoc")
            .WithDescription("Body: the recipe YAML (`Content-Type: application/yaml`), checked like a stored recipe (every error with line "
                + "and column). The run belongs to the project's ad-hoc work item `WI-0` (never planned or linked), follows the project's "
                + "approval policy and secrets, and goes to agents with the `label`s given (repeatable) or else the project's default labels. "
                + "The recipe does not become any work item's recipe.");
        return routes;
    }

    private static async Task<Results<Created<RunDto>, ProblemHttpResult>> Exec(string key, [FromQuery(Name = "label")] string[]? labels,
        int? priority, HttpRequest request, AdHocRuns adHoc, WaitingReasons waiting, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var body = await RecipeBody.ReadAsync(request, cancellationToken);
        if (body.Value is not { } yaml)
        {
            return body.Failure!.ToResult();
        }
        var parsed = RecipeParser.Parse(yaml);
        if (!parsed.IsValid)
        {
            return RecipeBody.Invalid(parsed.Errors).ToResult();
        }
        var outcome = await adHoc.StartAsync(key, yaml, parsed.Recipe!, labels, priority, user.Actor(), cancellationToken);
        if (outcome.Value is not { } created)
        {
            return outcome.Failure!.ToResult();
        }
        return await RunsApi.CreatedAsync(created, waiting, cancellationToken);
    }
}
