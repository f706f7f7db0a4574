using Baton.Server.Infrastructure.Requests;

namespace Baton.Server.Infrastructure.Errors;

public static class ProblemDetailsSetup
{
    /// <summary>Every error answer is ProblemDetails carrying the request id; bad input is a 4xx, never a 500; an unreachable database a 503.</summary>
    public static WebApplicationBuilder AddBatonProblemDetails(this WebApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Extensions["requestId"] = RequestIdMiddleware.Get(context.HttpContext);
            context.ProblemDetails.Instance ??= context.HttpContext.Request.Path;
            context.ProblemDetails.Detail ??= DefaultDetail(context.ProblemDetails.Status, context.HttpContext.Request);
        });
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        builder.Services.AddExceptionHandler<DatabaseUnavailableExceptionHandler>();
        // Binding failures throw, so the handler above can explain them.
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        // The host's request logs and scope are written before RequestIdMiddleware can set the
        // id; turning that category off removes both, and the middleware logs each request itself.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        return builder;
    }

    /// <summary>Words for answers the framework writes without any (unknown route, body too large).</summary>
    private static string? DefaultDetail(int? status, HttpRequest request) => status switch
    {
        StatusCodes.Status404NotFound => $"nothing at {request.Method} {request.Path}",
        StatusCodes.Status405MethodNotAllowed => $"{request.Path} does not accept {request.Method}",
        StatusCodes.Status413PayloadTooLarge => $"the request body is larger than {Configuration.ServerOptions.MaxRequestBodyBytes / 1024} KiB",
        StatusCodes.Status415UnsupportedMediaType => $"{request.Path} does not accept '{request.ContentType}'",
        _ => null,
    };
}
