using Baton.Server.Configuration;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Baton.Server.Infrastructure.Origins;

/// <summary>
/// Browsers' cross-origin access: CORS for the listed origins only (none by default, so a page elsewhere
/// cannot read the API with a user's cookie or token), and the same rule for WebSocket upgrades, which
/// browsers do not guard with CORS (cross-site WebSocket hijacking).
/// </summary>
public static class OriginSetup
{
    public static void AddBatonOrigins(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddValidated<OriginOptions>(options => options.Validate(), OriginOptions.Section);
        builder.Services.AddCors();
        builder.Services.AddOptions<CorsOptions>().Configure<IOptions<OriginOptions>>((cors, origins) =>
            cors.AddDefaultPolicy(policy => policy.WithOrigins([.. origins.Value.List()]).AllowAnyHeader().AllowAnyMethod()
                .WithExposedHeaders("X-Request-Id", HeaderNames.RetryAfter)));
    }

    /// <summary>
    /// A WebSocket upgrade may come from a client that sends no Origin (agents, scripts, the CLI), from a
    /// page of the server's own host, or from a listed origin. The own host is compared by authority
    /// (host and port), not scheme: behind a TLS-terminating proxy the server sees http while the page is https.
    /// </summary>
    public static bool MayOpenWebSocket(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var origin = context.Request.Headers.Origin.ToString();
        if (origin.Length == 0)
        {
            return true;
        }
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri))
        {
            return false;
        }
        if (string.Equals(uri.Authority, context.Request.Host.Value, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        var allowed = context.RequestServices.GetRequiredService<IOptions<OriginOptions>>().Value.List();
        return allowed.Contains(uri.GetLeftPart(UriPartial.Authority), StringComparer.OrdinalIgnoreCase);
    }
}
