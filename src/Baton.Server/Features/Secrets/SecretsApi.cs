using System.Security.Claims;
using Baton.Contracts.Paging;
using Baton.Core.Secrets;
using Baton.Persistence;
using Baton.Server.Features.Projects;
using Baton.Server.Infrastructure.Audit;
using Baton.Server.Infrastructure.Auth;
using Baton.Server.Infrastructure.Errors;
using Baton.Server.Infrastructure.Paging;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Baton.Server.Features.Secrets;

/// <summary>
/// A project's secrets: values go in and never come out (GET shows who set them and when), are stored
/// encrypted, and reach runs only as environment variables, masked in every log line.
/// </summary>
public static class SecretsApi
{
    /// <summary>Characters in one value: room for a PEM key or a kubeconfig, not for a file.</summary>
    public const int MaxValueLength = 32 * 1024;
    /// <summary>Secrets per project: every one is masked in every line, so the list stays short.</summary>
    public const int MaxPerProject = 100;

    public static RouteGroupBuilder MapSecrets(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/projects/{key}/secrets").WithTags("Secrets");
        group.MapGet("/", List).RequireAuthorization(Policies.Read).WithSummary("List a project's secrets")
            .WithDescription("Names and who set them when; never values.");
        group.MapGet("/{name}", Get).RequireAuthorization(Policies.Read).WithSummary("A secret's metadata");
        group.MapPut("/{name}", Set).RequireAuthorization(Policies.Write).WithSummary("Set a secret")
            .WithDescription("Creates (201) or replaces (200) the value. The name is the environment variable runs see (A-Z, 0-9, _); "
                + $"values have {SecretMasker.MinimumLength} to {MaxValueLength} characters (shorter ones cannot be masked without "
                + "masking ordinary text, see docs/security.md).");
        group.MapDelete("/{name}", Delete).RequireAuthorization(Policies.Write).WithSummary("Delete a secret");
        return group;
    }

    private static async Task<Results<Ok<Page<SecretDto>>, ProblemHttpResult>> List(string key, [AsParameters] PageQuery query,
        BatonDbContext db, CancellationToken cancellationToken)
    {
        var page = query.Resolve();
        var project = await db.FindIdAsync(key, cancellationToken);
        if ((page.Failure ?? project.Failure) is { } failure)
        {
            return failure.ToResult();
        }
        var (limit, after) = page.Value;
        var rows = await db.ProjectSecrets.AsNoTracking().Where(s => s.ProjectId == project.Value && s.Id > after)
            .OrderBy(s => s.Id).Take(limit + 1).ToListAsync(cancellationToken);
        return TypedResults.Ok(Pages.From(rows, limit, s => s.Id, SecretDto.From));
    }

    private static async Task<Results<Ok<SecretDto>, ProblemHttpResult>> Get(string key, string name, BatonDbContext db,
        CancellationToken cancellationToken)
    {
        var secret = await FindAsync(db, key, name, cancellationToken);
        return secret.Failure is { } failure ? failure.ToResult() : TypedResults.Ok(SecretDto.From(secret.Value!));
    }

    private static async Task<Results<Created<SecretDto>, Ok<SecretDto>, ProblemHttpResult>> Set(string key, string name,
        SetSecretRequest request, BatonDbContext db, SecretVault vault, SecretMaskers maskers, AuditTrail audit, TimeProvider clock,
        ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (SecretName.Problem(name) is { } badName)
        {
            errors.Add("name", badName);
        }
        if (request.Value is null || request.Value.Length < SecretMasker.MinimumLength)
        {
            errors.Add("value", $"a secret has at least {SecretMasker.MinimumLength} characters: a shorter value would be masked "
                + "wherever the same characters appear in a log, and is guessed in a few tries");
        }
        else if (request.Value.Length > MaxValueLength)
        {
            errors.Add("value", $"a secret has at most {MaxValueLength} characters");
        }
        var project = await db.FindIdAsync(key, cancellationToken);
        if (project.Failure is { } missing)
        {
            return missing.ToResult();
        }
        if (errors.Any)
        {
            return errors.ToFailure().ToResult();
        }
        var now = clock.GetUtcNow();
        var protectedValue = vault.Protect(project.Value, name, request.Value!);
        var secret = await db.ProjectSecrets.SingleOrDefaultAsync(s => s.ProjectId == project.Value && s.Name == name, cancellationToken);
        var created = secret is null;
        if (secret is null)
        {
            if (await db.ProjectSecrets.CountAsync(s => s.ProjectId == project.Value, cancellationToken) >= MaxPerProject)
            {
                return Failure.Unprocessable("name", $"project '{key}' already has {MaxPerProject} secrets, the most a project may have").ToResult();
            }
            db.ProjectSecrets.Add(secret = new ProjectSecret(project.Value, name, protectedValue, user.Actor(), now));
        }
        else
        {
            secret.Replace(protectedValue, user.Actor(), now);
        }
        audit.Record(user.Actor(), created ? "secret.created" : "secret.replaced", Subject(key, name));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException) when (created)
        {
            // Someone created the same name a moment earlier: theirs stands, and this caller can PUT again to replace it.
            return Failure.Conflict($"secret {name} of project '{key}' was created at the same moment by another request; send it again").ToResult();
        }
        maskers.Forget(project.Value);
        var dto = SecretDto.From(secret);
        return created ? TypedResults.Created($"/api/projects/{key}/secrets/{name}", dto) : TypedResults.Ok(dto);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Delete(string key, string name, BatonDbContext db, SecretMaskers maskers,
        AuditTrail audit, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var secret = await FindAsync(db, key, name, cancellationToken);
        if (secret.Failure is { } failure)
        {
            return failure.ToResult();
        }
        db.ProjectSecrets.Remove(secret.Value!);
        audit.Record(user.Actor(), "secret.deleted", Subject(key, name));
        await db.SaveChangesAsync(cancellationToken);
        maskers.Forget(secret.Value!.ProjectId);
        return TypedResults.NoContent();
    }

    private static async Task<Outcome<ProjectSecret>> FindAsync(BatonDbContext db, string key, string name, CancellationToken cancellationToken)
    {
        var project = await db.FindIdAsync(key, cancellationToken);
        if (project.Failure is { } failure)
        {
            return failure;
        }
        var secret = await db.ProjectSecrets.SingleOrDefaultAsync(s => s.ProjectId == project.Value && s.Name == name, cancellationToken);
        return secret is null ? Failure.NotFound($"project '{key}' has no secret named '{name}'") : secret;
    }

    private static string Subject(string key, string name) => $"project:{key}/secret:{name}";
}
