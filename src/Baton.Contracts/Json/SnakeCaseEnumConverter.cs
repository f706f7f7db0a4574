using System.Text.Json;
using System.Text.Json.Serialization;

namespace Baton.Contracts.Json;

/// <summary>
/// <see cref="BatonJson"/>'s enum convention (snake_case_lower names, integers refused) for one enum type, in the form
/// source-generated contexts take: a closed converter type with a parameterless constructor. The non-generic
/// <see cref="JsonStringEnumConverter"/> that <see cref="BatonJson.Configure"/> adds needs reflection, which native code lacks.
/// </summary>
public sealed class SnakeCaseEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false)
    where TEnum : struct, Enum;
