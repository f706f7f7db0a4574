using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace Baton.Server.Infrastructure.OpenApi;

public static class OpenApiSetup
{
    public const string DocumentRoute = "/openapi/{documentName}.json";

    /// <summary>OpenAPI document with the bearer scheme and every operation's error answers.</summary>
    public static WebApplicationBuilder AddBatonOpenApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "Baton API";
                document.Info.Description = "Self-hosted software delivery orchestrator: projects, vision, requirements, work items, recipes, runs.";
                return Task.CompletedTask;
            });
            options.AddDocumentTransformer<BearerSecurityTransformer>();
            options.AddOperationTransformer<ErrorResponsesTransformer>();
        });
        return builder;
    }

    /// <summary>
    /// The API description is public (it is the same for every installation and holds no
    /// data), so the document and the interactive reference at /docs need no token.
    /// </summary>
    public static WebApplication MapBatonApiDocs(this WebApplication app)
    {
        app.MapOpenApi(DocumentRoute).AllowAnonymous().ExcludeFromDescription();
        app.MapScalarApiReference("/docs", options => options
                .WithTitle("Baton API")
                .WithOpenApiRoutePattern(DocumentRoute))
            .AllowAnonymous().ExcludeFromDescription();
        return app;
    }
}
