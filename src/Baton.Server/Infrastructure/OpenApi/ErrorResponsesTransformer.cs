using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Baton.Server.Infrastructure.OpenApi;

/// <summary>
/// Documents the ProblemDetails answers every operation can give, so clients see the full
/// contract (the handlers' typed results only name the successful shape).
/// </summary>
internal sealed class ErrorResponsesTransformer : IOpenApiOperationTransformer
{
    private static readonly (int Status, string Description)[] Errors =
    [
        (400, "Invalid request: malformed JSON, a wrong type, a missing or unknown field; `errors` names each field."),
        (401, "No token, or the token is unknown, revoked or expired."),
        (403, "The token's role may not do this."),
        (404, "The project, item or route value does not exist."),
        (409, "Conflicts with the current state (duplicate key, already decided)."),
        (413, "The body is larger than the limit."),
        (422, "Well-formed but refers to something it may not (an unapproved requirement, a dependency cycle)."),
        (429, "Too many requests; retry after the `Retry-After` header."),
    ];

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var anonymous = context.Description.ActionDescriptor.EndpointMetadata
            .OfType<Microsoft.AspNetCore.Authorization.IAllowAnonymous>().Any();
        operation.Responses ??= [];
        EnsureProblemSchema(context.Document!);
        foreach (var (status, description) in Errors)
        {
            if (anonymous && status is 401 or 403)
            {
                continue;
            }
            var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (operation.Responses.ContainsKey(key))
            {
                continue;
            }
            operation.Responses[key] = new OpenApiResponse
            {
                Description = description,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference("ProblemDetails", context.Document) },
                },
            };
        }
        return Task.CompletedTask;
    }

    private static void EnsureProblemSchema(OpenApiDocument document)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas.TryAdd("ProblemDetails", new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "RFC 9457 problem details, with the request id and, for invalid fields, `errors`.",
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["type"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
                ["title"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
                ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer | JsonSchemaType.Null },
                ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
                ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
                ["requestId"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["errors"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object | JsonSchemaType.Null,
                    AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
                },
            },
        });
    }
}
