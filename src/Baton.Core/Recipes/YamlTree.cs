using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Baton.Core.Recipes;

/// <summary>A position in the YAML text, 1-based.</summary>
internal readonly record struct Position(int Line, int Column)
{
    public static Position From(Mark mark) => new((int)mark.Line, (int)mark.Column);
}

internal abstract record YamlNode(Position Start);

internal sealed record YamlScalar(string Value, bool Plain, Position Start) : YamlNode(Start)
{
    /// <summary>YAML's null spellings, when not quoted.</summary>
    public bool IsNull => Plain && Value is "" or "~" or "null" or "Null" or "NULL";
}

internal sealed record YamlSequence(IReadOnlyList<YamlNode> Items, Position Start) : YamlNode(Start);

internal sealed record YamlMapping(IReadOnlyList<(YamlScalar Key, YamlNode Value)> Entries, Position Start) : YamlNode(Start);

/// <summary>
/// Reads YAML into a small tree from YamlDotNet's event stream, refusing what makes YAML
/// dangerous before it can cost anything: anchors and aliases (no billion laughs), explicit
/// tags, several documents, and nesting past <see cref="RecipeLimits.MaxDepth"/>. Iterative
/// (an explicit stack), so deep input cannot overflow the call stack.
/// </summary>
internal static class YamlTree
{
    public static YamlNode? Read(string text, List<RecipeError> errors)
    {
        var stack = new Stack<Frame>();
        YamlNode? root = null;
        var documents = 0;
        var readUpTo = new Position(1, 1);
        try
        {
            var parser = new Parser(new StringReader(text));
            while (parser.MoveNext())
            {
                var current = parser.Current!;
                var at = Position.From(current.Start);
                readUpTo = Position.From(current.End);
                switch (current)
                {
                    case DocumentStart:
                        if (++documents > 1)
                        {
                            errors.Add(new(RecipeErrorKind.Syntax, "a recipe is one YAML document; remove the second '---'", at.Line, at.Column, null));
                            return null;
                        }
                        continue;
                    case AnchorAlias alias:
                        errors.Add(new(RecipeErrorKind.AliasNotAllowed, $"aliases (*{alias.Value}) are not allowed in recipes", at.Line, at.Column, null));
                        return null;
                    case NodeEvent node when !node.Anchor.IsEmpty:
                        errors.Add(new(RecipeErrorKind.AliasNotAllowed, $"anchors (&{node.Anchor}) are not allowed in recipes", at.Line, at.Column, null));
                        return null;
                    case NodeEvent node when !node.Tag.IsEmpty && !node.Tag.IsNonSpecific:
                        errors.Add(new(RecipeErrorKind.InvalidValue, $"explicit tags ({node.Tag}) are not allowed in recipes", at.Line, at.Column, null));
                        return null;
                    case MappingStart or SequenceStart:
                        if (stack.Count >= RecipeLimits.MaxDepth)
                        {
                            errors.Add(new(RecipeErrorKind.TooDeep, $"nesting deeper than {RecipeLimits.MaxDepth} levels", at.Line, at.Column, null));
                            return null;
                        }
                        stack.Push(new Frame(current is MappingStart, at));
                        continue;
                    case Scalar scalar:
                        var value = new YamlScalar(scalar.Value, scalar.Style == ScalarStyle.Plain, at);
                        if (!Add(stack, value, errors))
                        {
                            return null;
                        }
                        root ??= stack.Count == 0 ? value : null;
                        continue;
                    case MappingEnd or SequenceEnd:
                        var done = stack.Pop().Build();
                        if (stack.Count == 0)
                        {
                            root = done;
                        }
                        else if (!Add(stack, done, errors))
                        {
                            return null;
                        }
                        continue;
                    default:
                        continue;
                }
            }
        }
        catch (YamlException exception)
        {
            var at = Position.From(exception.Start);
            errors.Add(new(RecipeErrorKind.Syntax, $"YAML syntax error: {Describe(exception)}", Math.Max(1, at.Line), Math.Max(1, at.Column), null));
            return null;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this instead of a YamlException for a plain (unquoted) scalar inside
            // [ ] or { } that goes on to a following, less indented line. The error is somewhere after the last
            // event the parser produced.
            errors.Add(new(RecipeErrorKind.Syntax,
                "YAML syntax error: unquoted text inside [ ] or { } runs on to a less indented line; quote it or close the bracket",
                Math.Max(1, readUpTo.Line), Math.Max(1, readUpTo.Column), null));
            return null;
        }
        return root;
    }

    private static bool Add(Stack<Frame> stack, YamlNode node, List<RecipeError> errors)
    {
        if (stack.Count == 0)
        {
            return true;
        }
        var frame = stack.Peek();
        if (frame.IsMapping && frame.PendingKey is null)
        {
            if (node is not YamlScalar key)
            {
                errors.Add(new(RecipeErrorKind.InvalidValue, "mapping keys must be plain text", node.Start.Line, node.Start.Column, null));
                return false;
            }
            if (key is { Plain: true, Value: "<<" })
            {
                errors.Add(new(RecipeErrorKind.AliasNotAllowed, "merge keys (<<) are not allowed in recipes", key.Start.Line, key.Start.Column, null));
                return false;
            }
            frame.PendingKey = key;
            return true;
        }
        frame.Add(node);
        return true;
    }

    private static string Describe(YamlException exception)
    {
        // YamlDotNet prefixes positions to its messages; the error carries them separately.
        var message = exception.Message;
        var close = message.IndexOf("): ", StringComparison.Ordinal);
        return message.StartsWith('(') && close > 0 ? message[(close + 3)..] : message;
    }

    private sealed class Frame(bool isMapping, Position start)
    {
        private readonly List<YamlNode> _items = [];
        private readonly List<(YamlScalar, YamlNode)> _entries = [];

        public bool IsMapping { get; } = isMapping;
        public YamlScalar? PendingKey { get; set; }

        public void Add(YamlNode node)
        {
            if (IsMapping)
            {
                _entries.Add((PendingKey!, node));
                PendingKey = null;
            }
            else
            {
                _items.Add(node);
            }
        }

        public YamlNode Build() => IsMapping ? new YamlMapping(_entries, start) : new YamlSequence(_items, start);
    }
}
