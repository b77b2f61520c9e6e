import type { ConfirmRequest } from '../../commands/types.js';
import { PLAIN, type Style } from '../../render/style.js';
import type { FrontendIo } from '../execute.js';
import type { ProcessOutput } from './process-output.js';

/** Colour is on only for a terminal, and off for NO_COLOR (any value), TERM=dumb or --no-color. */
export function colorAllowed(env: NodeJS.ProcessEnv, isTty: boolean): boolean {
  if (env.NO_COLOR !== undefined) return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return isTty && env.TERM !== 'dumb';
}

/**
 * stdout/stderr I/O for one-shot commands and replay, written through `output` (which handles a
 * reader that goes away). chalk and enquirer load only when used.
 */
export function cliIo(env: NodeJS.ProcessEnv, signal: AbortSignal, interactive: boolean, output: ProcessOutput): FrontendIo {
  const tty = process.stdout.isTTY === true;
  return {
    out: output.out,
    err: output.err,
    defaultFormat: tty ? 'table' : 'json',
    width: process.stdout.columns || 100,
    signal,
    async style(color: boolean): Promise<Style> {
      if (!color || !colorAllowed(env, tty)) return PLAIN;
      const { Chalk } = await import('chalk');
      const c = new Chalk({ level: 1 });
      return { bold: c.bold, dim: c.dim, red: c.red, green: c.green, yellow: c.yellow, cyan: c.cyan };
    },
    ask: interactive ? askWithEnquirer : undefined,
    // A status line rewritten in place, only where stderr is a terminal.
    progress: process.stderr.isTTY ? (m) => output.err(m === null ? '\r\x1b[2K' : `\r\x1b[2K${m.slice(0, (process.stderr.columns || 80) - 1)}`) : undefined,
  };
}

async function askWithEnquirer(req: ConfirmRequest): Promise<boolean> {
  const enquirer = (await import('enquirer')).default as unknown as {
    prompt(q: object): Promise<Record<string, unknown>>;
  };
  try {
    if (req.typeToConfirm !== undefined) {
      const answer = await enquirer.prompt({ type: 'input', name: 'v', message: `${req.message}\n  Type ${req.typeToConfirm} to confirm` });
      return answer.v === req.typeToConfirm;
    }
    const answer = await enquirer.prompt({ type: 'confirm', name: 'v', message: req.message, initial: false });
    return answer.v === true;
  } catch {
    // enquirer rejects on Ctrl-C / Esc: treat as "no".
    return false;
  }
}
