namespace Baton.Cli.Output;

/// <summary>Text the server keeps as written (a vision, a recipe's YAML), printed unchanged: not wrapped, not read as markup.</summary>
internal static class Verbatim
{
    /// <summary>Writes <paramref name="text"/> as it is; on a terminal, ends the last line so the prompt starts on its own.</summary>
    public static void Write(string text)
    {
        Console.Out.Write(text);
        if (!Console.IsOutputRedirected && text.Length > 0 && !text.EndsWith('\n'))
        {
            Console.Out.WriteLine();
        }
        Console.Out.Flush();
    }
}
