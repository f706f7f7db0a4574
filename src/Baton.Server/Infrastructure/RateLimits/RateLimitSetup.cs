using System.Globalization;
using System.Threading.RateLimiting;
using Baton.Core.Access;
using Baton.Server.Configuration;
using Baton.Server.Infrastructure.Auth;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Baton.Server.Infrastructure.RateLimits;

/// <summary>
/// One token bucket per caller, after authentication has said who calls: per token for people and scripts,
/// per agent token and address for agents (a fleet may share one token), per address when no valid token was
/// given. A request past its bucket gets 429 with <c>Retry-After</c>, before any endpoint or audit write runs.
/// </summary>
public static class RateLimitSetup
{
    public static void AddBatonRateLimits(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddValidated<RateLimitOptions>(options => options.Validate(), RateLimitOptions.Section);
        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((limiter, settings) =>
        {
            var limits = settings.Value;
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context => Partition(context, limits));
            limiter.OnRejected = RejectAsync;
        });
    }

    private static RateLimitPartition<string> Partition(HttpContext context, RateLimitOptions limits)
    {
        if (!limits.Enabled || context.Request.Path.StartsWithSegments("/healthz"))
        {
            return RateLimitPartition.GetNoLimiter("unlimited");
        }
        var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var tokenId = context.User.FindFirst(BatonPrincipal.TokenIdClaim)?.Value;
        return (tokenId, context.User.TokenRole()) switch
        {
            (null, _) => Bucket("address:" + address, limits.AnonymousPerSecond, limits.AnonymousBurst),
            (_, Role.Agent) => Bucket($"agent:{tokenId}@{address}", limits.PerAgentPerSecond, limits.PerAgentBurst),
            _ => Bucket("token:" + tokenId, limits.PerTokenPerSecond, limits.PerTokenBurst),
        };
    }

    private static RateLimitPartition<string> Bucket(string key, int perSecond, int burst) =>
        RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = burst,
            TokensPerPeriod = perSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var wait = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers[HeaderNames.RetryAfter] = seconds.ToString(CultureInfo.InvariantCulture);
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new()
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests",
                Detail = $"this caller's request rate is over its limit; retry after {seconds} s",
            },
        });
    }
}
