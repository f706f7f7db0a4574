using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Baton.Persistence.Conventions;

/// <summary>Stores a <see cref="DateTimeOffset"/> as UTC ticks (SQLite only).</summary>
public sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
    value => value.UtcTicks,
    ticks => new DateTimeOffset(ticks, TimeSpan.Zero));
