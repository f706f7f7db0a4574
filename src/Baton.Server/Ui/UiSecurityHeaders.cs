using Microsoft.AspNetCore.Components.Endpoints;

namespace Baton.Server.Ui;

/// <summary>
/// What a page's answer tells the browser to refuse: scripts, styles, connections and frames from anywhere but
/// this server (the UI has no inline script; style attributes carry the timeline's and charts' sizes), being framed
/// by another site, and sending the page's address to other sites.
/// </summary>
internal sealed class UiSecurityHeaders(RequestDelegate next)
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; "
        + "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

    public Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<ComponentTypeMetadata>() is not null)
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "same-origin";
        }
        return next(context);
    }
}
