import { hostname, userInfo } from 'node:os';
import { COMMANDS } from '../commands/table.js';
import { commandId, isStream, type ConfirmRequest, type Ctx } from '../commands/types.js';
import { OpsError, exitCodeOf } from '../core/errors.js';
import { renderResult, renderStreamItem, type OutputFormat } from '../render/output.js';
import type { Style } from '../render/style.js';
import type { Invocation } from './cli/build-program.js';
import type { SessionPool } from './session-pool.js';
import { fileErrorReason } from '../lib/file-error-reason.js';

/** Where a frontend sends text, and how it asks the user. */
export interface FrontendIo {
  out(text: string): void;
  err(text: string): void;
  /** The default output format when -o is not given. */
  defaultFormat: OutputFormat;
  /** Columns available for tables and charts. */
  width?: number;
  style(color: boolean): Promise<Style>;
  /** Shows or clears a transient status line; absent where nothing can be redrawn. `detail`: the same as data (`Ctx.progress`). */
  progress?(message: string | null, detail?: unknown): void;
  /** Asks the user; absent where nobody can answer (replay, piped stdin). */
  ask?(req: ConfirmRequest): Promise<boolean>;
  signal: AbortSignal;
}

export interface Outcome {
  exitCode: number;
  data: unknown;
  error: OpsError | null;
}

/** Owner id for locks when --owner is not given: unique to this process. */
export const DEFAULT_OWNER = (() => {
  let user = 'opsdeck';
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry (some containers): keep the generic name.
  }
  return `${user}@${hostname()}:${process.pid}`;
})();

const OFFLINE = { session: undefined as never, profiles: undefined as never };

/** Runs one parsed command: read-only guard, confirmation, run, render. Never throws. */
export async function execute(inv: Invocation, pool: SessionPool, io: FrontendIo, version: string): Promise<Outcome> {
  const id = commandId(inv.spec);
  let profileName = inv.globals.profile ?? '(default)';
  try {
    // Offline commands get no session: `version` and `help` must work with a broken config file.
    const { session, profiles } = inv.spec.offline ? OFFLINE : await pool.get(inv.globals);
    if (!inv.spec.offline) profileName = session.profile.name;
    if (inv.spec.mutates) session.assertWritable(id);
    const ctx: Ctx = {
      session,
      profiles,
      defaultOwner: DEFAULT_OWNER,
      version,
      signal: io.signal,
      now: Date.now,
      commands: COMMANDS,
      // On a production profile every confirmation asks for the profile's name to be typed.
      confirm: (req) => confirm(session?.profile.production && req.typeToConfirm === undefined ? { ...req, typeToConfirm: session.profile.name } : req, inv.globals.yes, io, id),
      progress: (message, detail) => io.progress?.(message, detail),
      warn: (message) => io.err(`opsdeck: warning: ${message}\n`),
      readFile: async (path) => {
        try {
          // Loaded on use: node:fs/promises costs start-up time and only --file needs it.
          const { readFile } = await import('node:fs/promises');
          return await readFile(path, 'utf8');
        } catch (e) {
          throw new OpsError('usage', `cannot read ${path}: ${fileErrorReason(e)}`, 'check the path');
        }
      },
    };
    const format = inv.globals.output ?? io.defaultFormat;
    const style = await io.style(inv.globals.color);
    const data = await inv.spec.run(ctx, inv.input);
    if (isStream(data)) {
      const items: unknown[] = [];
      for await (const item of data.stream) {
        items.push(item);
        io.out((await renderStreamItem(id, item, format, style, Date.now())) + '\n');
      }
      // A stream ended by Ctrl-C was cancelled, not completed: scripts must not carry on as if it were.
      if (io.signal.aborted) return { exitCode: 130, data: items, error: null };
      return { exitCode: 0, data: items, error: null };
    }
    const exitCode = inv.spec.exitCode?.(data) ?? 0;
    if (inv.spec.mutates) await audit(inv, profileName, exitCode, data, null);
    if (inv.spec.rawText && typeof data === 'string') io.out(data);
    else io.out((await renderResult(id, data, format, style, Date.now(), io.width)) + '\n');
    return { exitCode, data, error: null };
  } catch (e) {
    const err = toOpsError(e);
    const exitCode = exitCodeOf(err.kind);
    // Refusals before anything happened (read-only, usage) are not actions; failed attempts are.
    if (inv.spec.mutates && err.kind !== 'read-only' && err.kind !== 'usage' && err.kind !== 'config') await audit(inv, profileName, exitCode, undefined, err);
    io.err(formatError(err, inv.globals.debug ? (e as Error).stack : undefined) + '\n');
    return { exitCode, data: undefined, error: err };
  }
}

/** Loaded only after a mutating command: reads stay off this code path at start-up. */
async function audit(inv: Invocation, profile: string, exitCode: number, data: unknown, err: OpsError | null): Promise<void> {
  const [{ appendAudit }, { createHash }] = await Promise.all([import('../session/audit-log.js'), import('node:crypto')]);
  const result = (data ?? {}) as { forced?: unknown; previousHolder?: unknown };
  const args: Record<string, unknown> = { ...inv.input.args, ...inv.input.opts };
  // Config content may hold anything, passwords included: record its size and md5, not the text.
  if (typeof args.value === 'string') args.value = `<${Buffer.byteLength(args.value)} bytes, md5 ${createHash('md5').update(args.value).digest('hex')}>`;
  appendAudit({
    command: commandId(inv.spec),
    args,
    profile,
    exitCode,
    ...(typeof result.forced === 'boolean' ? { forced: result.forced, previousHolder: (result.previousHolder as string | null) ?? null } : {}),
    ...(err ? { error: err.message } : {}),
  });
}

async function confirm(req: ConfirmRequest, yes: boolean, io: FrontendIo, id: string): Promise<void> {
  if (yes) return;
  if (!io.ask) {
    throw new OpsError('usage', `"${id}" needs confirmation and nobody can answer here (not a terminal, or a script)`, 're-run with --yes if you mean it');
  }
  if (!(await io.ask(req))) throw new OpsError('failed', 'cancelled; nothing was changed');
}

export function toOpsError(e: unknown): OpsError {
  if (e instanceof OpsError) return e;
  const err = e as NodeJS.ErrnoException;
  if (err?.code === 'ENOSPC') return new OpsError('backend', 'the disk is full', 'free space in the data dir and retry; nothing unacknowledged was kept');
  if (err?.code === 'EACCES' || err?.code === 'EPERM') return new OpsError('config', `permission denied: ${err.message}`, 'check the data dir permissions, or pass another --data-dir');
  if (err?.code === 'EROFS') return new OpsError('config', 'the data dir is on a read-only file system', 'pass a writable --data-dir');
  return new OpsError('internal', `internal error: ${err?.message ?? String(e)}`, 're-run with --debug for a stack trace, and please report it');
}

/** The single stderr line for an error: what happened, then what to do next. */
export function formatError(e: OpsError, stack?: string): string {
  const line = `opsdeck: ${e.message}${e.hint ? ` (hint: ${e.hint})` : ''}`;
  return stack ? `${line}\n${stack}` : line;
}
