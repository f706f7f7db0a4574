using System.Net;
using Baton.Core.Access;
using Baton.Server.Infrastructure.RateLimits;
using Baton.Server.Tests.Infrastructure;
using Baton.Tests.Support;

namespace Baton.Server.Tests.Infrastructure.RateLimits;

/// <summary>Small buckets, so that a test can spend one: 5 requests at once, then 1 per second.</summary>
public sealed class SmallBucketsApplication : SqliteApplication
{
    public const int Burst = 5;

    public SmallBucketsApplication()
    {
        Settings["RateLimits:PerTokenPerSecond"] = "1";
        Settings["RateLimits:PerTokenBurst"] = Burst.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Settings["RateLimits:AnonymousPerSecond"] = "1";
        Settings["RateLimits:AnonymousBurst"] = Burst.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}

/// <summary>Each caller spends its own bucket; past it, 429 with Retry-After; agents and health checks are not starved.</summary>
public sealed class RateLimitTests(SmallBucketsApplication app) : ApiTestBase<SmallBucketsApplication>(app)
{
    /// <summary>Sends until the first 429 (at most twice the burst); returns how many passed and that answer.</summary>
    private static async Task<(int Passed, HttpResponseMessage Refused)> SpendAsync(HttpClient client, string path)
    {
        for (var passed = 0; passed < 2 * SmallBucketsApplication.Burst; passed++)
        {
            var response = await client.GetAsync(path);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                return (passed, response);
            }
        }
        throw new InvalidOperationException($"no 429 within {2 * SmallBucketsApplication.Burst} requests");
    }

    [Fact]
    public async Task AToken_PastItsBurst_Gets429WithRetryAfter_WhileOtherTokensAndAgentsGoOn_AndLaterPassesAgain()
    {
        // Made before spending: creating tokens costs the admin's bucket too.
        var maintainer = App.Client(await App.TokenAsync(Role.Maintainer));
        var other = App.Client(await App.TokenAsync(Role.Viewer));
        var agent = await App.AgentClientAsync();

        var (passed, refused) = await SpendAsync(maintainer, "/api/projects");

        // Within the burst, plus at most the one or two tokens refilled meanwhile.
        Assert.InRange(passed, SmallBucketsApplication.Burst, SmallBucketsApplication.Burst + 2);
        var problem = await ProblemAsync(refused, HttpStatusCode.TooManyRequests);
        Assert.Contains("retry after", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var retryAfter = int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 2);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/api/projects")).StatusCode);
        for (var i = 0; i < 4 * SmallBucketsApplication.Burst; i++)
        {
            Assert.NotEqual(HttpStatusCode.TooManyRequests, (await agent.PostAsync("/api/agents/register", null)).StatusCode);
        }
        await Eventually.TrueAsync(async () => (await maintainer.GetAsync("/api/projects")).StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(10), "the maintainer's bucket to refill");
    }

    [Fact]
    public async Task CallersWithoutAValidToken_ShareTheirAddressesBucket_AndHealthChecksAreNeverLimited()
    {
        var anonymous = App.Client(null);
        var badToken = App.Client("baton_" + new string('x', 40));

        var (passed, refused) = await SpendAsync(badToken, "/api/projects");

        Assert.InRange(passed, 0, SmallBucketsApplication.Burst + 2);
        await ProblemAsync(refused, HttpStatusCode.TooManyRequests);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await anonymous.GetAsync("/api/ping")).StatusCode);
        for (var i = 0; i < 4 * SmallBucketsApplication.Burst; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/healthz/live")).StatusCode);
        }
    }

    [Theory]
    [InlineData(0, 10, "RateLimits:PerToken")]
    [InlineData(10, 5, "RateLimits:PerToken")]
    public void Settings_NeedARateOfOneOrMore_AndABurstOfAtLeastTheRate(int rate, int burst, string named)
    {
        var problem = new RateLimitOptions { PerTokenPerSecond = rate, PerTokenBurst = burst }.Validate();

        Assert.NotNull(problem);
        Assert.StartsWith(named, problem, StringComparison.Ordinal);
        Assert.Null(new RateLimitOptions().Validate());
    }
}
