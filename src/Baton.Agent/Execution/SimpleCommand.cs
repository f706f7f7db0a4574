using System.Buffers;
using Baton.Agent.Processes;

namespace Baton.Agent.Execution;

/// <summary>
/// A step whose <c>run:</c> is one plain command (<c>true</c>, <c>make test</c>, <c>./build.sh --release</c>) is started
/// without bash: bash would only exec it in its own place (it does so for a single simple command), so the program,
/// its arguments, its process (the group's leader) and its exit code are the same, and starting bash first costs
/// more CPU than many short steps themselves (ADR 0014). Anything bash could read differently goes to bash: a
/// character with a meaning to the shell (quotes, $, globs, redirections, ;, |, &amp;, ~, #, braces, backslash), more
/// than one line, a leading assignment, a builtin or reserved word, a program not found (bash says so and exits
/// 127), and an environment that changes how bash starts (BASH_ENV, SHELLOPTS, exported functions).
/// </summary>
internal static class SimpleCommand
{
    // Letters, digits and punctuation that bash passes through untouched in a word (outside the first word, '=' too).
    private static readonly SearchValues<char> PlainCharacters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./:,+@%^-=");

    // Builtins and reserved words (bash 5.2's `compgen -b -k`) run inside bash, not as the program of that name. Not
    // listed: true and false, whose programs do the same when given no word (see Parse; with one, --help, they differ).
    private static readonly HashSet<string> ShellWords = new(StringComparer.Ordinal)
    {
        "!", ".", ":", "[", "[[", "]]", "{", "}", "alias", "bg", "bind", "break", "builtin", "caller", "case", "cd", "command",
        "compgen", "complete", "compopt", "continue", "coproc", "declare", "dirs", "disown", "do", "done", "echo", "elif",
        "else", "enable", "esac", "eval", "exec", "exit", "export", "fc", "fg", "fi", "for", "function", "getopts", "hash", "help",
        "history", "if", "in", "jobs", "kill", "let", "local", "logout", "mapfile", "popd", "printf", "pushd", "pwd", "read",
        "readarray", "readonly", "return", "select", "set", "shift", "shopt", "source", "suspend", "test", "then", "time",
        "times", "trap", "type", "typeset", "ulimit", "umask", "unalias", "unset", "until", "wait", "while",
    };

    /// <summary>Names an environment that makes bash start differently (reads a file, sets options, defines functions).</summary>
    private static bool ChangesHowBashStarts(string name) =>
        name.StartsWith("BASH", StringComparison.Ordinal) || name is "ENV" or "SHELLOPTS" or "POSIXLY_CORRECT" or "PWD" or "SHLVL";

    /// <summary>The program and arguments to start in bash's place, or null when the step needs bash.</summary>
    public static (string Program, string[] Arguments)? Parse(string run, IReadOnlyDictionary<string, string> environment, string directory)
    {
        var words = run.Trim().Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0 || words.Any(word => word.AsSpan().ContainsAnyExcept(PlainCharacters))
            || words[0].Contains('=', StringComparison.Ordinal) || ShellWords.Contains(words[0])
            || (words[0] is "true" or "false" && words.Length > 1)
            || environment.Keys.Any(ChangesHowBashStarts))
        {
            return null;
        }
        var program = Executables.Find(words[0], environment.GetValueOrDefault("PATH"), directory);
        return program is null ? null : (program, words[1..]);
    }

    /// <summary>What bash adds to the environment of the program it execs: its directory, its shell level, its own path.</summary>
    public static Dictionary<string, string> EnvironmentAsBashGivesIt(IReadOnlyDictionary<string, string> environment, string directory, string program) =>
        new(environment, StringComparer.Ordinal)
        {
            ["PWD"] = Executables.Physical(directory),
            // bash raises SHLVL at start and lowers it again before an exec in its place: unset, it is 0.
            ["SHLVL"] = "0",
            ["_"] = program,
        };
}
