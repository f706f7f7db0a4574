namespace Baton.Server.Infrastructure.Protection;

/// <summary>
/// Where the keys that encrypt secrets live. Bound from the <c>Secrets</c> section
/// (<c>BATON_Secrets__KeyRingDirectory</c>, <c>BATON_Secrets__Key</c>). See docs/security.md.
/// </summary>
public sealed class SecretsOptions
{
    public const string Section = "Secrets";
    public const int KeyBytes = 32;

    /// <summary>
    /// A directory for Data Protection's key ring. Default: <c>keys/</c> in the data directory with SQLite;
    /// the database itself with PostgreSQL, so that every replica reads the same ring.
    /// </summary>
    public string? KeyRingDirectory { get; set; }

    /// <summary>
    /// Base64 of 32 random bytes (<c>openssl rand -base64 32</c>). When set, the key ring's keys are stored
    /// encrypted with it (AES-256-GCM), so a copy of the database or the data directory alone reveals no secret.
    /// </summary>
    public string? Key { get; set; }

    public byte[]? KeyMaterial() => string.IsNullOrWhiteSpace(Key) ? null : Convert.FromBase64String(Key.Trim());

    /// <summary>The first problem with these settings, naming the setting, or null when valid.</summary>
    public string? Validate()
    {
        if (string.IsNullOrWhiteSpace(Key))
        {
            return null;
        }
        try
        {
            return KeyMaterial()!.Length == KeyBytes ? null : $"{Section}:Key must be base64 of exactly {KeyBytes} bytes (openssl rand -base64 32)";
        }
        catch (FormatException)
        {
            return $"{Section}:Key is not base64 (make one with: openssl rand -base64 32)";
        }
    }
}
