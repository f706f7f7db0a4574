using Baton.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Baton.Server.Features.Health;

/// <summary>Liveness, readiness and ping: the only API routes open without a token.</summary>
public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/healthz/live", () => TypedResults.Ok(new HealthDto("live")))
            .AllowAnonymous().WithTags("Health")
            .WithSummary("Liveness").WithDescription("200 while the process is serving requests.");
        routes.MapGet("/healthz/ready", Ready)
            .AllowAnonymous().WithTags("Health")
            .WithSummary("Readiness").WithDescription("200 when the database is reachable, else 503.");
        routes.MapGet("/api/ping", () => TypedResults.Ok(new HealthDto("pong")))
            .AllowAnonymous().WithTags("Health")
            .WithSummary("Ping").WithDescription("Cheapest possible round trip; no database access.");
        return routes;
    }

    private static async Task<Results<Ok<HealthDto>, ProblemHttpResult>> Ready(BatonDbContext db, CancellationToken cancellationToken)
    {
        if (await db.Database.CanConnectAsync(cancellationToken))
        {
            return TypedResults.Ok(new HealthDto("ready"));
        }
        return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Not ready",
            detail: "the database is not reachable");
    }

    public sealed record HealthDto(string Status);
}
