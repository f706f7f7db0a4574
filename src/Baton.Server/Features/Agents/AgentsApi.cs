using System.Security.Claims;
using Baton.Contracts.Agents;
using Baton.Contracts.Runs;
using Baton.Core.Runs;
using Baton.Persistence;
using Baton.Server.Features.Logs;
using Baton.Server.Features.Runs;
using Baton.Server.Features.Secrets;
using Baton.Server.Infrastructure.Auth;
using Baton.Server.Infrastructure.Errors;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Baton.Server.Features.Agents;

/// <summary>The agent protocol (DESIGN.md section 4) and the agents list.</summary>
public static class AgentsApi
{
    public static IEndpointRouteBuilder MapAgents(this IEndpointRouteBuilder routes)
    {
        var agents = routes.MapGroup("/api/agents").WithTags("Agents");
        agents.MapGet("/", List).RequireAuthorization(Policies.Read).WithSummary("List agents")
            .WithDescription("Every registered agent with its labels, capacity, runs in progress and status (idle, busy, draining, lost).");
        agents.MapPost("/register", Register).RequireAuthorization(Policies.Agent).WithSummary("Register an agent")
            .WithDescription("The same name registers the same agent again (labels, capacity and version are updated).");
        agents.MapPost("/{id:long}/claim", Claim).RequireAuthorization(Policies.Agent).WithSummary("Claim a run (long poll)")
            .WithDescription("Answers at once with a matching queued run under a new lease epoch, or waits up to `waitSeconds` "
                + "for one and answers 204. `draining: true` announces a shutdown and claims nothing.");

        // The calls about a run carry the job token its claim handed out, not the agent's own token.
        var runs = routes.MapGroup("/api/runs/{id:long}").WithTags("Agent protocol").RequireAuthorization(JobTokens.Policy)
            .WithMetadata(new JobTokens.RunScoped());
        runs.MapPost("/lease", Lease).WithSummary("Renew a run's lease")
            .WithDescription("Renews the lease, then holds the request up to `waitSeconds` and answers early when the run is cancelled. "
                + "409 when the epoch no longer holds the run: the agent must stop it.");
        runs.MapPost("/logs", Logs).Accepts<LogBatch>("application/json").WithSummary("Append a batch of log lines")
            .WithDescription("Stored once per `seq` (a repeated batch is acknowledged again), in order: a batch whose predecessor "
                + "is missing gets 425. 409 for a stale epoch.")
            // Larger than the server's request limit: the handler sets and counts Runs:MaxLogBatchBytes itself (options
            // read here, while the routes are mapped, would fail on a bad setting before start-up can list every bad one).
            .WithMetadata(new DisableRequestSizeLimitAttribute());
        runs.MapPut("/steps/{index:int}", Step).WithSummary("Report a step's state")
            .WithDescription("Idempotent: the state replaces the step's; 204 when stored, 409 for a stale epoch.");
        runs.MapPut("/steps", Steps).WithSummary("Report several steps' states")
            .WithDescription("Idempotent: each state replaces its step's, all in one transaction; 204 when stored, 409 for a stale epoch, "
                + "422 naming `steps[i].index` for a step the run does not have (then nothing is stored).");
        runs.MapPost("/complete", Complete).WithSummary("Report the run's end")
            .WithDescription("Sent after every log batch was acknowledged; repeating it answers the same.")
            .WithMetadata(new JobTokens.RepeatableAfterEnd());
        return routes;
    }

    private static async Task<Ok<IReadOnlyList<AgentDto>>> List(AgentQueries queries, CancellationToken cancellationToken) =>
        TypedResults.Ok(await queries.ListAsync(cancellationToken));

    private static async Task<Results<Ok<RegisterAgentResponse>, ProblemHttpResult>> Register(RegisterAgentRequest request,
        AgentCommands commands, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        Answer(await commands.RegisterAsync(request, user.TokenId(), cancellationToken));

    private static async Task<Results<Ok<ClaimedRun>, NoContent, ProblemHttpResult>> Claim(long id, ClaimRequest? request,
        AgentCommands commands, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var outcome = await commands.ClaimAsync(id, user.TokenId() ?? 0, request ?? new ClaimRequest(), cancellationToken);
        return outcome.Failure is { } failure ? failure.ToResult()
            : outcome.Value is { } run ? TypedResults.Ok(run)
            : TypedResults.NoContent();
    }

    private static async Task<Results<Ok<LeaseResponse>, ProblemHttpResult>> Lease(long id, LeaseRequest request, LeaseCommands commands,
        CancellationToken cancellationToken) =>
        Answer(await commands.RenewAsync(id, request, cancellationToken));

    /// <summary>The body is read as bytes and checked by <see cref="LogBatchReader"/>: the lines go to storage as sent.</summary>
    private static async Task<Results<Ok<LogBatchReceipt>, ProblemHttpResult>> Logs(long id, HttpRequest request, LogIngestion ingestion,
        SecretMaskers maskers, BatonDbContext db, IOptions<RunOptions> options, CancellationToken cancellationToken)
    {
        if (request.ContentType is not { } type || !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return new Failure(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", "a log batch is application/json").ToResult();
        }
        var limit = options.Value.MaxLogBatchBytes;
        var tooLarge = Failure.TooLarge($"a log batch may be at most {limit} bytes (Runs:MaxLogBatchBytes); send smaller batches");
        if (request.ContentLength > limit)
        {
            return tooLarge.ToResult();
        }
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
        {
            bodyLimit.MaxRequestBodySize = limit;
        }
        // Counted here as well: a body sent in chunks declares no length, and not every host (the in-memory test server
        // among them) has a request limit.
        using var body = new MemoryStream(request.ContentLength is { } length and < int.MaxValue ? (int)length : 64 * 1024);
        if (!await CopyAtMostAsync(request.Body, body, limit, cancellationToken))
        {
            return tooLarge.ToResult();
        }
        var batch = LogBatchReader.Read(body.GetBuffer().AsMemory(0, (int)body.Length));
        if (batch.Failure is { } invalid)
        {
            return invalid.ToResult();
        }
        var masked = LogBatchMasking.Apply(batch.Value!, await maskers.ForRunAsync(db, id, cancellationToken));
        return Answer(await ingestion.StoreAsync(id, masked, cancellationToken));
    }

    /// <summary>Copies the body unless it is longer than <paramref name="limit"/> bytes (false then, with the rest unread).</summary>
    private static async Task<bool> CopyAtMostAsync(Stream source, MemoryStream target, long limit, CancellationToken cancellationToken)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
            {
                if (target.Length + read > limit)
                {
                    return false;
                }
                target.Write(buffer, 0, read);
            }
            return true;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Step(long id, int index, StepUpdate update, LeaseCommands commands,
        CancellationToken cancellationToken)
    {
        var outcome = await commands.UpdateStepAsync(id, index, update, cancellationToken);
        return outcome.Failure is { } failure ? failure.ToResult() : TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Steps(long id, StepsUpdate update, LeaseCommands commands,
        CancellationToken cancellationToken)
    {
        var outcome = await commands.UpdateStepsAsync(id, update, cancellationToken);
        return outcome.Failure is { } failure ? failure.ToResult() : TypedResults.NoContent();
    }

    private static async Task<Results<Ok<CompleteResponse>, ProblemHttpResult>> Complete(long id, CompleteRequest request,
        LeaseCommands commands, AgentCommands agents, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var outcome = await commands.CompleteAsync(id, request, cancellationToken);
        if (outcome.Failure is { } failure)
        {
            return failure.ToResult();
        }
        // Eager dispatch: the slot this run freed takes the next run at once, without a claim call of its own.
        // Only for the agent that ran this run: a job token must not fetch another agent's work (and its secrets).
        var next = request.ClaimFor is { } agentId && user.IsHeldBy(agentId)
            ? (await agents.ClaimAsync(agentId, null, new ClaimRequest(0), cancellationToken)).Value
            : null;
        return TypedResults.Ok(new CompleteResponse(id, Result(outcome.Value), next));
    }

    private static RunResult Result(RunStatus status) => status switch
    {
        RunStatus.Succeeded => RunResult.Succeeded,
        RunStatus.Failed => RunResult.Failed,
        RunStatus.TimedOut => RunResult.TimedOut,
        _ => RunResult.Cancelled,
    };

    private static Results<Ok<T>, ProblemHttpResult> Answer<T>(Outcome<T> outcome) =>
        outcome.Failure is { } failure ? failure.ToResult() : TypedResults.Ok(outcome.Value!);
}
