using Baton.Core.Access;

namespace Baton.Server.Configuration;

/// <summary>Settings of the server itself (not of a feature). Validated at start.</summary>
public sealed class ServerOptions
{
    /// <summary>Key of the first admin token on a fresh installation (env: BATON_BOOTSTRAP_TOKEN).</summary>
    public const string BootstrapTokenKey = "BOOTSTRAP_TOKEN";
    public const string DefaultUrl = "http://127.0.0.1:5080";
    /// <summary>Largest request body accepted (recipes have their own, smaller limit).</summary>
    public const long MaxRequestBodyBytes = 1024 * 1024;

    public string? BootstrapToken { get; set; }

    public string? Validate() =>
        BootstrapToken is { } token && token.Length < ApiTokenSecret.MinimumLength
            ? $"BATON_{BootstrapTokenKey} must be at least {ApiTokenSecret.MinimumLength} characters long"
            : null;
}
