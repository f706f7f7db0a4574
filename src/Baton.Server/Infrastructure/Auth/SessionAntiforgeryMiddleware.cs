using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.SignalR;

namespace Baton.Server.Infrastructure.Auth;

/// <summary>
/// Refuses a state-changing request (any method but GET, HEAD, OPTIONS and TRACE) that the session cookie
/// authenticated unless it carries a valid anti-forgery token in <see cref="SessionAntiforgery.HeaderName"/>:
/// 400 ProblemDetails, before authorization and the endpoint. A bearer token is not ambient (a browser never
/// adds it on its own), so requests authenticated by one need none; unauthenticated ones are left to authorization.
/// </summary>
internal sealed class SessionAntiforgeryMiddleware(RequestDelegate next, IAntiforgery antiforgery, IProblemDetailsService problems)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!IsSafe(context.Request.Method) && context.User.IsSession() && !IsCircuit(context))
        {
            try
            {
                await antiforgery.ValidateRequestAsync(context);
            }
            catch (AntiforgeryValidationException refused)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                await problems.WriteAsync(new()
                {
                    HttpContext = context,
                    ProblemDetails = new ProblemDetails
                    {
                        Status = StatusCodes.Status400BadRequest,
                        Title = "Anti-forgery token missing or invalid",
                        Detail = $"a write with the session cookie needs the token from GET /api/session (also in the "
                            + $"{SessionAntiforgery.ReadableCookieName} cookie) in the {SessionAntiforgery.HeaderName} header: {refused.Message}",
                    },
                });
                return;
            }
        }
        await next(context);
    }

    // The UI's circuit (its WebSocket, and the beacon a closing page sends) carries no header of ours; another
    // site's page cannot open it with the session, whose cookie is SameSite=Strict.
    private static bool IsCircuit(HttpContext context) => context.GetEndpoint()?.Metadata.GetMetadata<HubMetadata>() is not null;

    private static bool IsSafe(string method) =>
        HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method);
}
