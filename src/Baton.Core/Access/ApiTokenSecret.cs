using System.Security.Cryptography;
using System.Text;

namespace Baton.Core.Access;

/// <summary>
/// Token secrets: 256 random bits, shown once, stored only as a SHA-256 hash. A fast hash is
/// enough because the secret is random and long (nothing to brute-force from a dictionary),
/// and it keeps the per-request lookup a single indexed equality match.
/// </summary>
public static class ApiTokenSecret
{
    public const string Prefix = "baton_";
    /// <summary>Characters kept in clear for people to tell tokens apart in listings.</summary>
    public const int DisplayPrefixLength = 12;
    public const int MinimumLength = 24;

    /// <summary>A job token's prefix: the token handler tells it from an API token without a lookup.</summary>
    public const string JobPrefix = "batonjob_";

    public static string Generate() =>
        Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>A token for one claimed run (see <c>Run.JobTokenHash</c>), as random as an API token.</summary>
    public static string GenerateJob() =>
        JobPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
    }

    public static string DisplayPrefix(string secret) =>
        secret.Length <= DisplayPrefixLength ? secret : secret[..DisplayPrefixLength];

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
