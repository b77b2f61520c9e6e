import { usage } from '../../core/errors.js';
import { SHELLS, shellScript, type ShellName } from '../../shell/completion/shell-scripts.js';
import { req } from '../input.js';
import type { CommandSpec } from '../types.js';

export const completion: CommandSpec = {
  path: ['completion'],
  summary: 'Print the shell completion script for bash, zsh or fish (completes live names too)',
  args: [{ name: 'shell', summary: 'bash, zsh or fish', required: true, complete: SHELLS }],
  options: [],
  examples: ['opsdeck completion bash > ~/.local/share/bash-completion/completions/opsdeck', 'opsdeck completion fish | source'],
  mutates: false,
  offline: true,
  rawText: true,
  async run(_ctx, input) {
    const shell = req(input, 'shell');
    if (!(SHELLS as readonly string[]).includes(shell)) throw usage(`no completion for shell "${shell}"`, `use one of: ${SHELLS.join(', ')}`);
    return shellScript(shell as ShellName);
  },
};
