/**
 * The scripts `opsdeck completion bash|zsh|fish` prints. They hold no command names: each one
 * hands the line typed so far to `opsdeck __complete`, which completes it from the same command
 * table (and the same live names) as the console, so a new command or flag needs no new script.
 * The protocol (see `frontends/cli/shell-complete.ts`): the first output line is the word being
 * completed as opsdeck read it; then one candidate per line, `value<TAB>description`.
 */
export type ShellName = 'bash' | 'zsh' | 'fish';
export const SHELLS: readonly ShellName[] = ['bash', 'zsh', 'fish'];

export function shellScript(shell: ShellName): string {
  switch (shell) {
    case 'bash':
      return BASH;
    case 'zsh':
      return ZSH;
    case 'fish':
      return FISH;
  }
}

// bash splits words at COMP_WORDBREAKS (":" and "=" among them), so "10.0.1.1:80" is three words
// to it. opsdeck reads the raw line instead and says which word it completed; the script then
// keeps only candidates that extend that word and hands bash the part after bash's own word start.
const BASH = `# opsdeck completion for bash. Load it with:
#   source <(opsdeck completion bash)
# or save it as ~/.local/share/bash-completion/completions/opsdeck
_opsdeck_complete() {
  local line=\${COMP_LINE:0:COMP_POINT}
  local cur=\${COMP_WORDS[COMP_CWORD]}
  local out word prefix value
  out=$(command opsdeck __complete --shell bash -- "$line" 2>/dev/null) || return 0
  COMPREPLY=()
  {
    IFS= read -r word
    # The part of opsdeck's word that bash put in earlier words (up to a ":" or "=").
    prefix=\${word%"$cur"}
    [[ $cur == [:=] ]] && prefix=$word && cur=
    while IFS= read -r value; do
      value=\${value%%$'\\t'*}
      [[ $value == "$prefix"* ]] || continue
      COMPREPLY+=("\${value#"$prefix"}")
    done
  } <<< "$out"
  return 0
}
complete -o default -o nosort -F _opsdeck_complete opsdeck 2>/dev/null || complete -o default -F _opsdeck_complete opsdeck
`;

// zsh hands the words typed so far in $words (quotes as typed); opsdeck re-reads them as a line.
const ZSH = `#compdef opsdeck
# opsdeck completion for zsh. Load it with:
#   source <(opsdeck completion zsh)
# or save it as _opsdeck in a directory of your $fpath (before compinit runs).
_opsdeck() {
  local -a lines values descs
  local word line
  line="\${(j: :)words[1,CURRENT]}"
  lines=("\${(@f)$(command opsdeck __complete --shell zsh -- "$line" 2>/dev/null)}")
  (( \${#lines} > 1 )) || return 1
  for line in "\${(@)lines[2,-1]}"; do
    values+=("\${line%%$'\\t'*}")
    descs+=("\${line%%$'\\t'*}  -- \${line#*$'\\t'}")
  done
  compadd -V opsdeck -d descs -a values
}
if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
  _opsdeck "$@"
else
  (( $+functions[compdef] )) || { autoload -Uz compinit && compinit; }
  compdef _opsdeck opsdeck
fi
`;

// fish gives the whole process line up to the cursor; opsdeck's descriptions show beside values.
const FISH = `# opsdeck completion for fish. Load it with:
#   opsdeck completion fish | source
# or save it as ~/.config/fish/completions/opsdeck.fish
function __opsdeck_complete
    command opsdeck __complete --shell fish -- (commandline -cp) 2>/dev/null | tail -n +2
end
complete -c opsdeck -f -a '(__opsdeck_complete)'
`;
