import { SHELLS, shellScript } from '../../shell/completion/shell-scripts.js';
import { choiceArg } from '../arg-types.js';
import { defineCommand } from '../define-command.js';

export const completion = defineCommand({
  path: ['completion'],
  summary: 'Print the shell completion script for bash, zsh or fish (completes live names too)',
  args: { shell: choiceArg({ summary: 'bash, zsh or fish', choices: SHELLS }) },
  options: {},
  examples: ['opsdeck completion bash > ~/.local/share/bash-completion/completions/opsdeck', 'opsdeck completion fish | source'],
  mutates: false,
  offline: true,
  rawText: true,
  async run(_ctx, { args }) {
    return shellScript(args.shell);
  },
});
