using System.CommandLine;

namespace Baton.Cli.Commands.Client;

/// <summary>
/// `baton completion SHELL`: a script that asks baton itself what may come next (System.CommandLine's
/// <c>[suggest:POSITION]</c> directive), so completion always matches this version's commands and options.
/// </summary>
internal static class CompletionCommand
{
    private static readonly Dictionary<string, string> Scripts = new(StringComparer.Ordinal)
    {
        ["bash"] = """
            # baton completion for bash: eval "$(baton completion bash)" (e.g. in ~/.bashrc)
            _baton_complete() {
                local IFS=$'\n'
                COMPREPLY=( $(compgen -W "$(baton "[suggest:${COMP_POINT}]" "${COMP_LINE}" 2>/dev/null)" -- "${COMP_WORDS[COMP_CWORD]}") )
            }
            complete -o default -F _baton_complete baton
            """,
        ["zsh"] = """
            # baton completion for zsh: eval "$(baton completion zsh)" (e.g. in ~/.zshrc, after compinit)
            _baton_complete() {
                local -a candidates
                candidates=("${(@f)$(baton "[suggest:${#LBUFFER}]" "$BUFFER" 2>/dev/null)}")
                compadd -a candidates
            }
            compdef _baton_complete baton
            """,
        ["fish"] = """
            # baton completion for fish: baton completion fish > ~/.config/fish/completions/baton.fish
            complete -c baton -f -a '(baton "[suggest:"(string length -- (commandline -cp))"]" (commandline -cp) 2>/dev/null)'
            """,
        ["pwsh"] = """
            # baton completion for PowerShell: baton completion pwsh | Out-String | Invoke-Expression (e.g. in $PROFILE)
            Register-ArgumentCompleter -Native -CommandName baton -ScriptBlock {
                param($wordToComplete, $commandAst, $cursorPosition)
                baton "[suggest:$cursorPosition]" "$commandAst" 2>$null | ForEach-Object {
                    [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
                }
            }
            """,
    };

    public static Command Create()
    {
        var shell = new Argument<string>("shell") { Description = "bash, zsh, fish or pwsh" };
        shell.AcceptOnlyFromAmong([.. Scripts.Keys]);
        var command = new Command("completion", "Print a shell completion script (bash: eval \"$(baton completion bash)\")") { shell };
        command.SetAction(result =>
        {
            Console.Out.WriteLine(Scripts[result.GetValue(shell)!]);
            return 0;
        });
        return command;
    }
}
