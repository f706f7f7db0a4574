using Baton.Core.Requirements;
using Baton.Persistence;
using Baton.Server.Features.Projects;
using Baton.Server.Features.Recipes;
using Baton.Server.Features.Requirements;
using Baton.Server.Features.Vision;
using Baton.Server.Features.WorkItems;
using Baton.Server.Infrastructure.Errors;
using Microsoft.EntityFrameworkCore;

namespace Baton.Server.Features.Seed;

/// <summary>
/// `baton seed`: a sample project to explore, made through the same commands as the API
/// so it obeys every rule. A vision, five requirements (three approved, one proposed, one
/// rejected) and six work items forming a diamond and a chain, whose recipes take visible time.
/// </summary>
public sealed class SampleProjectSeeder(
    BatonDbContext db, ProjectCommands projects, VisionCommands vision, RequirementCommands requirements,
    WorkItemCommands workItems, RecipeCommands recipes)
{
    public const string ProjectKey = "demo";
    private const string Actor = "seed";

    /// <summary>Creates the sample project; false when it already exists.</summary>
    public async Task<bool> SeedAsync(CancellationToken cancellationToken)
    {
        if (await db.Projects.AnyAsync(p => p.Key == ProjectKey, cancellationToken))
        {
            return false;
        }
        Check(await projects.CreateAsync(new CreateProjectRequest
        {
            Key = ProjectKey,
            Name = "Demo shop",
            Description = "A sample project made by `baton seed`.",
            Policy = new PolicyInput { DefaultLabels = ["linux"] },
        }, Actor, cancellationToken));
        Check(await vision.SubmitAsync(ProjectKey,
            "Customers can browse the catalogue, pay by card and get their order the next day. Every change ships through tested, approved, observable pipelines.",
            Actor, cancellationToken));

        string[] approved = ["Card payments", "Next-day dispatch", "Catalogue search"];
        foreach (var title in approved)
        {
            var requirement = Check(await requirements.ProposeAsync(ProjectKey, Proposal(title), Actor, cancellationToken));
            Check(await requirements.DecideAsync(ProjectKey, requirement.Key, RequirementDecision.Approve, "Agreed in planning", Actor, cancellationToken));
        }
        Check(await requirements.ProposeAsync(ProjectKey, Proposal("Gift wrapping"), Actor, cancellationToken));
        var rejected = Check(await requirements.ProposeAsync(ProjectKey, Proposal("Pay by cheque"), Actor, cancellationToken));
        Check(await requirements.DecideAsync(ProjectKey, rejected.Key, RequirementDecision.Reject, "Too slow to clear; out of scope", Actor, cancellationToken));

        // WI-1 -> (WI-2, WI-3) -> WI-4 is the diamond; WI-4 -> WI-5 -> WI-6 the chain.
        await AddItemAsync("Compile", ["REQ-1", "REQ-3"], [], 3, cancellationToken);
        await AddItemAsync("Unit tests", ["REQ-1"], ["WI-1"], 4, cancellationToken);
        await AddItemAsync("Integration tests", ["REQ-2"], ["WI-1"], 5, cancellationToken);
        await AddItemAsync("Package", ["REQ-1", "REQ-2"], ["WI-2", "WI-3"], 2, cancellationToken);
        await AddItemAsync("Deploy to staging", ["REQ-2"], ["WI-4"], 3, cancellationToken);
        await AddItemAsync("Smoke test staging", ["REQ-3"], ["WI-5"], 2, cancellationToken);
        return true;
    }

    private async Task AddItemAsync(string title, string[] implements, string[] dependsOn, int seconds, CancellationToken cancellationToken)
    {
        var item = Check(await workItems.CreateAsync(ProjectKey, new CreateWorkItemRequest
        {
            Title = title,
            Requirements = implements,
            DependsOn = dependsOn,
        }, Actor, cancellationToken));
        Check(await recipes.SetAsync(ProjectKey, item.Key, Recipe(title, seconds), Actor, cancellationToken));
    }

    private static ProposeRequirementRequest Proposal(string title) => new()
    {
        Title = title,
        Description = $"{title} for the demo shop.",
        AcceptanceCriteria = [$"{title} works end to end", "It is covered by automated tests"],
    };

    private static string Recipe(string title, int seconds) => $"""
        name: {title.ToLowerInvariant().Replace(' ', '-')}
        timeout: 5m
        env:
          STAGE: "{title}"
        steps:
          - name: prepare
            run: |
              echo "preparing $STAGE"
              sleep 1
          - name: work
            run: |
              for i in $(seq 1 {seconds}); do
                echo "$STAGE: step $i of {seconds}"
                sleep 1
              done
            timeout: 2m
          - name: report
            run: echo "$STAGE done"

        """;

    private static T Check<T>(Outcome<T> outcome) =>
        outcome.Failure is { } failure ? throw new InvalidOperationException($"seed failed: {failure.Detail}") : outcome.Value!;
}
