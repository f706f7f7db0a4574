using System.Globalization;
using System.Text.Json;
using Baton.Contracts.Agents;
using Baton.Contracts.Json;
using Baton.Contracts.Recipes;
using Baton.Core.Access;
using Baton.Core.Agents;
using Baton.Core.Keys;
using Baton.Persistence;
using Baton.Persistence.Agents;
using Baton.Persistence.Runs;
using Baton.Persistence.Storage;
using Baton.Server.Features.Projects;
using Baton.Server.Features.Runs;
using Baton.Server.Features.Secrets;
using Baton.Server.Infrastructure.Auth;
using Baton.Server.Infrastructure.Errors;
using Baton.Server.Infrastructure.Signals;
using Baton.Server.Infrastructure.Telemetry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Baton.Server.Features.Agents;

/// <summary>Agents registering and claiming runs (DESIGN.md section 4, steps 1 and 2).</summary>
public sealed class AgentCommands(BatonDbContext db, RunSignals signals, WriteGate gate, BatonMetrics metrics, IOptions<RunOptions> options,
    SecretVault secrets, AgentSightings sightings, JobTokenCache jobTokens, TimeProvider clock)
{
    private static readonly IReadOnlyDictionary<string, string> NoSecrets = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <param name="tokenId">The caller's agent token: the one that may claim for the agent from now on.</param>
    public async Task<Outcome<RegisterAgentResponse>> RegisterAsync(RegisterAgentRequest request, long? tokenId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new FieldErrors();
        errors.RequireText("name", request.Name, Agent.NameLength);
        errors.Range("capacity", request.Capacity, 1, RegisterAgentRequest.MaxCapacity);
        errors.Limit("version", request.Version, 50);
        Labels.Check(errors, "labels", request.Labels);
        if (errors.Any)
        {
            return errors.ToFailure();
        }
        var now = clock.GetUtcNow();
        var labels = Labels.Normalize(request.Labels ?? []);
        using (await gate.EnterAsync(cancellationToken))
        {
            var agent = await db.Agents.SingleOrDefaultAsync(a => a.Name == request.Name, cancellationToken);
            if (agent is null)
            {
                db.Agents.Add(agent = new Agent(request.Name.Trim(), labels, request.Capacity, request.Version ?? "", tokenId, now));
            }
            else
            {
                agent.Register(labels, request.Capacity, request.Version ?? "", tokenId, now);
            }
            await db.SaveChangesAsync(cancellationToken);
            sightings.Forget(agent.Id);
            var settings = options.Value;
            return new RegisterAgentResponse(agent.Id, settings.LeaseSeconds, settings.RenewSeconds, settings.ClaimWaitSeconds);
        }
    }

    /// <summary>
    /// Long poll: tries to claim, and while nothing matches waits for the "claimable" signal
    /// (never polling the database) until <paramref name="wait"/> has passed.
    /// </summary>
    /// <param name="tokenId">The caller's agent token, which must be the one that registered the agent; null when the caller
    /// was checked otherwise (a completion's eager dispatch, by the job token of a run the agent held).</param>
    public async Task<Outcome<ClaimedRun?>> ClaimAsync(long agentId, long? tokenId, ClaimRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var settings = options.Value;
        var wait = TimeSpan.FromSeconds(Math.Clamp(request.WaitSeconds ?? settings.ClaimWaitSeconds, 0, settings.ClaimWaitSeconds));
        var agent = await TouchAsync(agentId, request.Draining, cancellationToken);
        if (agent is null)
        {
            return Failure.NotFound($"agent {agentId} is not registered; register again");
        }
        if (tokenId is not null && agent.TokenId is { } owner && owner != tokenId)
        {
            return Failure.Forbidden($"agent {agentId} was registered with another agent token; register with this token to claim for it");
        }
        if (request.Draining)
        {
            return (ClaimedRun?)null;
        }
        var deadline = clock.GetUtcNow() + wait;
        // The hops the wake-up that brought this claim back may still be passed on, when it finds nothing to take.
        var passOn = 0;
        while (true)
        {
            using var ticket = signals.Claims.Join();
            // While no run became claimable since an agent with these labels last found the queue empty for them, looking
            // again would find nothing again, and costs a transaction: most claims of a busy replica whose queue keeps
            // running dry (the next claim after the last run, the completions' claims, the wake-ups passed on).
            var generation = signals.Claims.Generation;
            if (!sightings.FoundNothingAt(agent, generation, clock.GetUtcNow()))
            {
                var (claimed, more) = await TryClaimAsync(agent, cancellationToken);
                if (claimed is not null)
                {
                    sightings.FoundNothing(agent, more ? null : generation, clock.GetUtcNow());
                    return claimed;
                }
                if (tokenId is null)
                {
                    // Eager dispatch: the completion freed a slot, so not capacity but the queue had nothing for this agent.
                    sightings.FoundNothing(agent, generation, clock.GetUtcNow());
                }
            }
            signals.Claims.PassOn(passOn - 1);
            var left = deadline - clock.GetUtcNow();
            if (left <= TimeSpan.Zero)
            {
                return (ClaimedRun?)null;
            }
            await SignalWait.ForAsync(ticket.Woken, left, clock, cancellationToken);
            cancellationToken.ThrowIfCancellationRequested();
            if (!ticket.Woken.IsCompleted)
            {
                return (ClaimedRun?)null;
            }
            passOn = ticket.Use();
        }
    }

    /// <summary>
    /// The agent, after recording that it was seen: one statement writes the last-seen time and reads the row back (an idle
    /// agent's long poll starts with it, and a separate read and write were two transactions each time). A busy agent claims
    /// many times a second; being seen matters at the scale of its silence limit (70 s by default), so an agent seen less
    /// than <see cref="AgentSightings.Freshness"/> ago, with the same draining flag, is answered from that sighting.
    /// </summary>
    private async Task<Agent?> TouchAsync(long agentId, bool draining, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (sightings.TryGet(agentId, now, out var seen) && seen.Draining == draining)
        {
            return seen;
        }
        Agent? agent;
        using (await gate.EnterAsync(cancellationToken))
        {
            agent = await db.TouchAgentAsync(agentId, now, draining, cancellationToken);
        }
        if (agent is null)
        {
            sightings.Forget(agentId);
            return null;
        }
        sightings.Remember(agent, now);
        return agent;
    }

    /// <returns>The run claimed, if any, and whether another queued run would match the agent now.</returns>
    private async Task<(ClaimedRun? Run, bool More)> TryClaimAsync(Agent agent, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = clock.GetUtcNow();
        ClaimedRow? row;
        var jobToken = ApiTokenSecret.GenerateJob();
        var jobTokenHash = ApiTokenSecret.Hash(jobToken);
        using (await gate.EnterAsync(cancellationToken))
        {
            row = await db.TryClaimAsync(new ClaimRequestRow(agent.Id, agent.Labels, agent.Capacity, now, now + settings.Lease, jobTokenHash),
                cancellationToken);
        }
        if (row is null)
        {
            return (null, true);
        }
        jobTokens.Remember(jobTokenHash, new JobTokenCache.JobHolder(row.RunId, agent.Id, agent.Name));
        signals.PulseLeaseGranted();
        signals.PulseRun(row.RunId);
        metrics.RunStarted(row.ProjectKey, now - (row.QueuedAt ?? row.CreatedAt));
        var workItem = ItemKey.WorkItem(row.WorkItemNumber);
        var run = new ClaimedRun
        {
            RunId = row.RunId,
            Epoch = row.Epoch,
            Attempt = row.Attempt,
            Project = row.ProjectKey,
            WorkItem = workItem,
            Recipe = JsonSerializer.Deserialize<RecipeSpec>(row.RecipeJson, BatonJson.Options)!,
            RecipeHash = row.RecipeHash,
            FirstLine = row.LogLines + 1,
            MaxLogBytes = settings.MaxLogBytesPerRun,
            LeaseSeconds = settings.LeaseSeconds,
            RenewSeconds = settings.RenewSeconds,
            Environment = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["CI"] = "true",
                ["BATON"] = "true",
                ["BATON_RUN_ID"] = row.RunId.ToString(CultureInfo.InvariantCulture),
                ["BATON_RUN_NUMBER"] = row.Number.ToString(CultureInfo.InvariantCulture),
                ["BATON_RUN_ATTEMPT"] = row.Attempt.ToString(CultureInfo.InvariantCulture),
                ["BATON_PROJECT"] = row.ProjectKey,
                ["BATON_WORK_ITEM"] = workItem,
                ["BATON_RECIPE_HASH"] = row.RecipeHash,
            },
            Trace = row.TraceId is { } trace ? new RunTrace(trace, row.CreatedAt, row.QueuedAt, now, row.ApprovalRequired) : null,
            JobToken = jobToken,
            Secrets = row.HasSecrets ? await secrets.ReadAllAsync(db, row.ProjectId, cancellationToken) : NoSecrets,
        };
        return (run, row.MoreQueued);
    }
}
