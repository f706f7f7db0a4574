using Baton.Contracts.Json;
using Baton.Server.Configuration;
using Baton.Server.Features;
using Baton.Server.Features.Exec;
using Baton.Server.Features.Health;
using Baton.Server.Features.Observability;
using Baton.Server.Features.Overview;
using Baton.Server.Features.Plans;
using Baton.Server.Features.Projects;
using Baton.Server.Features.Agents;
using Baton.Server.Features.Audit;
using Baton.Server.Features.Logs;
using Baton.Server.Features.Recipes;
using Baton.Server.Features.Runs;
using Baton.Server.Features.Secrets;
using Baton.Server.Features.Sessions;
using Baton.Server.Features.Requirements;
using Baton.Server.Features.Tokens;
using Baton.Server.Features.Vision;
using Baton.Server.Features.WorkItems;
using Baton.Server.Infrastructure.Auth;
using Baton.Server.Infrastructure.Errors;
using Baton.Server.Infrastructure.OpenApi;
using Baton.Server.Infrastructure.Origins;
using Baton.Server.Infrastructure.Protection;
using Baton.Server.Infrastructure.RateLimits;
using Baton.Server.Infrastructure.Requests;
using Baton.Server.Infrastructure.Storage;
using Baton.Server.Infrastructure.Telemetry;
using Baton.Server.Ui;

namespace Baton.Server;

/// <summary>
/// The Baton server, read top to bottom: what it is made of, then how a request flows.
/// Used by <c>baton up</c>, <c>baton server</c>, the standalone host and the tests.
/// </summary>
public static class BatonServerApp
{
    /// <param name="commandLine">Settings from the command line; they win over every other source.</param>
    public static WebApplicationBuilder CreateBuilder(IReadOnlyDictionary<string, string?> commandLine)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        // appsettings.json < .env < BATON_* environment < command line
        builder.Configuration.UseBatonSources(builder.Environment.EnvironmentName, commandLine, Directory.GetCurrentDirectory());
        builder.WebHost.UseUrls(builder.Configuration["Urls"] ?? ServerOptions.DefaultUrl);
        // Bodies past the limit are refused with 413 before they are read into memory.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = ServerOptions.MaxRequestBodyBytes);
        // JSON: camelCase, snake_case enums, unknown fields refused
        builder.Services.ConfigureHttpJsonOptions(options =>
        {
            BatonJson.Configure(options.SerializerOptions);
            // Request text: no NUL characters, no null in lists of strings (400 naming the field)
            RequestTextConverters.AddTo(options.SerializerOptions);
        });
        // Storage: SQLite file or PostgreSQL, migrated before the first request
        builder.AddBatonStorage();
        // Errors: ProblemDetails everywhere, with the request id
        builder.AddBatonProblemDetails();
        // Keys: Data Protection's key ring (data directory, database or configured), for secrets and cookies
        builder.AddBatonDataProtection();
        // Access: bearer tokens, job tokens, UI session cookies; roles, closed by default
        builder.AddBatonAuth();
        // Rate limits: a token bucket per token (per agent token and address), per address without one
        builder.AddBatonRateLimits();
        // Browsers: CORS and WebSocket origins from an allow-list, same origin only by default
        builder.AddBatonOrigins();
        // API description: /openapi/v1.json and /docs
        builder.AddBatonOpenApi();
        // Logs: lines, or JSON objects with request, trace and span ids (Logs:Format=json)
        builder.AddBatonLogging();
        // Metrics (Prometheus at /metrics, OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set) and traces
        builder.AddBatonTelemetry();
        // Features' services (commands shared by the API and the seeder)
        builder.Services.AddBatonFeatures();
        // Web UI: Razor components at /, live over a server circuit
        builder.AddBatonUi();
        return builder;
    }

    public static WebApplication Build(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var app = builder.Build();
        // Every response carries X-Request-Id; every log entry of the request too
        app.UseMiddleware<RequestIdMiddleware>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        // Before authentication: a preflight carries no token
        app.UseCors();
        // Live log and step streams
        app.UseWebSockets();
        app.UseAuthentication();
        // After authentication (the bucket is the caller's), before authorization and endpoints (a refused request costs nothing more)
        app.UseRateLimiter();
        // A write sent with the UI session cookie must carry its anti-forgery token (bearer tokens need none)
        app.UseMiddleware<SessionAntiforgeryMiddleware>();
        app.UseAuthorization();
        // Blazor's own form anti-forgery (the UI's pages); API writes are covered by the session middleware above
        app.UseAntiforgery();

        app.MapHealth();
        app.MapBatonMetrics();
        app.MapBatonApiDocs();
        app.MapTokens();
        app.MapSessions();
        app.MapAudit();
        app.MapProjects();
        app.MapSecrets();
        app.MapOverview();
        app.MapVision();
        app.MapRequirements();
        app.MapWorkItems();
        app.MapRecipes();
        app.MapRuns();
        app.MapExec();
        app.MapAgents();
        app.MapLogs();
        app.MapPlans();
        app.MapSchedules();
        app.MapObservability();
        app.MapBatonUi();
        return app;
    }
}
