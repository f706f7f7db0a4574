using Baton.Server.Ui.Session;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Hosting.StaticWebAssets;
using Baton.Server.Infrastructure.Auth;

namespace Baton.Server.Ui;

/// <summary>The web UI: Razor components at <c>/</c>, live over a Blazor Server circuit (ADR 0009).</summary>
public static class UiSetup
{
    // The build names the static-asset manifests after this assembly; `baton` (the CLI) hosts it under its own name.
    private static readonly string Manifests = typeof(UiSetup).Assembly.GetName().Name!;

    public static WebApplicationBuilder AddBatonUi(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddScoped<AuthenticationStateProvider, SessionRevalidation>();
        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, LoginRedirect>();
        builder.Services.AddScoped<UiScopes>();
        // From a build, assets are read where they are (wwwroot, the framework's package); a publish copies them to wwwroot.
        var runtimeManifest = Path.Combine(AppContext.BaseDirectory, $"{Manifests}.staticwebassets.runtime.json");
        if (File.Exists(runtimeManifest))
        {
            builder.Configuration[WebHostDefaults.StaticWebAssetsKey] = runtimeManifest;
            StaticWebAssetsLoader.UseStaticWebAssets(builder.Environment, builder.Configuration);
        }
        return builder;
    }

    public static WebApplication MapBatonUi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseMiddleware<UiSecurityHeaders>();
        app.MapStaticAssets(Path.Combine(AppContext.BaseDirectory, $"{Manifests}.staticwebassets.endpoints.json")).AllowAnonymous();
        // Pages need a session (or a token); LoginRedirect sends a browser without one to the login page.
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode().RequireAuthorization(Policies.Read);
        return app;
    }
}
