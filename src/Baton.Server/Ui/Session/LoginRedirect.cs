using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Components.Endpoints;

namespace Baton.Server.Ui.Session;

/// <summary>
/// A person who opens a page of the UI without a session is sent to the login page, which brings them back;
/// every other refusal (the API's, and a page a session may not see) is answered as the schemes write it.
/// </summary>
internal sealed class LoginRedirect : IAuthorizationMiddlewareResultHandler
{
    public const string LoginPath = "/login";

    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Challenged && IsPage(context) && HttpMethods.IsGet(context.Request.Method))
        {
            var back = context.Request.PathBase + context.Request.Path + context.Request.QueryString;
            context.Response.Redirect($"{LoginPath}?returnUrl={Uri.EscapeDataString(back)}");
            return Task.CompletedTask;
        }
        return _default.HandleAsync(next, context, policy, authorizeResult);
    }

    private static bool IsPage(HttpContext context) => context.GetEndpoint()?.Metadata.GetMetadata<ComponentTypeMetadata>() is not null;
}
