namespace Baton.Server.Infrastructure.Auth;

/// <summary>
/// UI sessions (configuration section "Sessions", e.g. <c>BATON_Sessions__LifetimeHours</c>): how long a
/// session lasts without a request. Each request past half of it renews it for the whole lifetime again,
/// but a session never outlives its token's own expiry.
/// </summary>
public sealed class UiSessionOptions
{
    public const string Section = "Sessions";
    private const int MaxLifetimeHours = 24 * 30;

    public int LifetimeHours { get; set; } = 8;

    public TimeSpan Lifetime => TimeSpan.FromHours(LifetimeHours);

    /// <summary>
    /// When a session started or renewed at <paramref name="now"/> ends: a lifetime later, or at the token's expiry if
    /// sooner. In whole seconds, as the cookie's ticket stores it; rounded down, so never past the token's expiry.
    /// </summary>
    public DateTimeOffset EndOf(DateTimeOffset now, DateTimeOffset? tokenExpiresAt)
    {
        var end = tokenExpiresAt is { } expiry && expiry < now + Lifetime ? expiry : now + Lifetime;
        return end.AddTicks(-(end.UtcTicks % TimeSpan.TicksPerSecond));
    }

    public string? Validate() => LifetimeHours is < 1 or > MaxLifetimeHours
        ? $"{Section}:LifetimeHours must be 1 to {MaxLifetimeHours} (got {LifetimeHours})"
        : null;
}
