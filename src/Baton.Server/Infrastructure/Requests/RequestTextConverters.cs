using System.Text.Json;
using System.Text.Json.Serialization;

namespace Baton.Server.Infrastructure.Requests;

/// <summary>
/// Rules for text in request bodies that the JSON contract cannot say: no NUL character (PostgreSQL's
/// text cannot store one, so it would fail at the database as a 500), and no null inside a list of
/// strings (nullable annotations do not reach generic arguments). Both are refused while binding, as a
/// 400 naming the field. Only requests are read with these; stored data and the agent are not affected.
/// </summary>
public static class RequestTextConverters
{
    public const string NulMessage = "text may not contain NUL (\\u0000) characters";
    public const string NullItemMessage = "a list of strings may not contain null";

    public static void AddTo(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Converters.Add(new Text());
        options.Converters.Add(new TextList());
    }

    private static string Checked(ref Utf8JsonReader reader)
    {
        var text = reader.GetString()!;
        return text.Contains('\0', StringComparison.Ordinal) ? throw new JsonException(NulMessage) : text;
    }

    private sealed class Text : JsonConverter<string>
    {
        public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.String ? Checked(ref reader) : throw new JsonException();

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
    }

    private sealed class TextList : JsonConverter<IReadOnlyList<string>>
    {
        public override IReadOnlyList<string> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                throw new JsonException();
            }
            var items = new List<string>();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                items.Add(reader.TokenType switch
                {
                    JsonTokenType.String => Checked(ref reader),
                    JsonTokenType.Null => throw new JsonException(NullItemMessage),
                    _ => throw new JsonException(),
                });
            }
            return items;
        }

        public override void Write(Utf8JsonWriter writer, IReadOnlyList<string> value, JsonSerializerOptions options)
        {
            writer.WriteStartArray();
            foreach (var item in value)
            {
                writer.WriteStringValue(item);
            }
            writer.WriteEndArray();
        }
    }
}
