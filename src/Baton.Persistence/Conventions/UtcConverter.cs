using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Baton.Persistence.Conventions;

/// <summary>
/// Writes a <see cref="DateTimeOffset"/> as the same instant in UTC (PostgreSQL only): Npgsql refuses any other
/// offset for timestamptz, and times arrive with offsets from clients (+02:00) and from time-zone arithmetic.
/// </summary>
public sealed class UtcConverter() : ValueConverter<DateTimeOffset, DateTimeOffset>(
    value => value.ToUniversalTime(),
    value => value);
