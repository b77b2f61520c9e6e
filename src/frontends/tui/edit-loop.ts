import type { ConfigItem } from '../../core/config-center.js';
import type { ConfigType } from '../../core/types.js';
import { diffLines, unifiedDiff } from '../../core/line-diff.js';

/** The outside world of one edit; start-console wires the real editor, backend and dialogs. */
export interface EditLoopDeps {
  dataId: string;
  /** Reads the config as the server has it now; throws (an OpsError) when it cannot. */
  load(): Promise<ConfigItem>;
  /** Runs $EDITOR on the file and waits; a failure (non-zero exit, no editor) is its reason. */
  openEditor(file: string): Promise<{ ok: true } | { ok: false; reason: string }>;
  /** The content check `config set` makes; throws an error with a message (and hint) when invalid. */
  check(content: string, type: ConfigType): Promise<void>;
  /** Shows the diff to review while the question is asked; null hides it. */
  review(title: string | null, lines: string[]): void;
  ask(message: string): Promise<boolean>;
  /** The `config set` line that publishes the text in `path` with compare-and-set on `base`. */
  setLine(path: string, base: ConfigItem): string;
  /** Publishes `content` (also written in `file`) with compare-and-set on `base`'s token. */
  publish(file: string, content: string, base: ConfigItem): Promise<{ exitCode: number; stderr: string }>;
  /** One line for the user: the outcome, and where the text is kept when it was not published. */
  notice(text: string): void;
  files: {
    /** Creates a private temp file holding `content` and returns its path. */
    create(name: string, content: string): string;
    read(path: string): string;
    write(path: string, content: string): void;
    /** Deletes the file (and its private directory). */
    remove(path: string): void;
  };
}

export type EditOutcome = 'published' | 'unchanged' | 'kept' | 'not-loaded';

/**
 * The `kubectl edit` loop: a failed edit is never lost. The user's text is checked before the
 * publish question (the same check as `config set`); when the check, the compare-and-set or the
 * backend fails, the editor opens again on the user's text with the reason in a note at the top.
 * On a compare-and-set conflict the note holds the diff from the version the user started from
 * to the server's version now, and the next publish is compared against that one. The note is
 * removed before anything is checked or published. The file is kept until the text is published
 * or the user gives up (quits the editor without saving, empties the file, or answers no), and
 * then its path is printed.
 */
export async function editLoop(d: EditLoopDeps): Promise<EditOutcome> {
  let base: ConfigItem;
  try {
    base = await d.load();
  } catch (e) {
    d.notice(`cannot load ${d.dataId}: ${(e as Error).message}`);
    return 'not-loaded';
  }
  const type = base.type;
  const file = d.files.create(d.dataId, base.content);
  // What the file held when the editor opened, and the user's text without the note.
  let shown = base.content;
  let text = base.content;
  let round = 0;
  /** The text the content check refused last, so saving it again unchanged ends the loop. */
  let refused: string | null = null;

  const keep = (why: string): EditOutcome => {
    if (text === base.content) {
      d.files.remove(file);
      d.notice(`${why}; nothing was published`);
      return 'unchanged';
    }
    d.files.write(file, text);
    d.notice(`${why}; nothing was published. Your text is kept in ${file}; to publish it later: opsdeck ${d.setLine(file, base)}`);
    return 'kept';
  };
  const reopenWith = (note: string[]) => {
    shown = withNote(type, note, text);
    d.files.write(file, shown);
  };

  for (;;) {
    round++;
    const opened = await d.openEditor(file);
    let raw: string;
    try {
      raw = d.files.read(file);
    } catch (e) {
      d.notice(`cannot read the edited file ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); nothing was published`);
      return 'kept';
    }
    const edited = withoutNote(type, raw);
    if (!opened.ok) {
      if (edited.trim() !== '') text = edited;
      return keep(opened.reason);
    }
    if (raw === shown) {
      if (round === 1) {
        d.files.remove(file);
        d.notice(`no changes to ${d.dataId}`);
        return 'unchanged';
      }
      return keep('you left the file as it was');
    }
    // Emptying the file gives up; the text from before is what is kept.
    if (edited.trim() === '') return keep('you emptied the file');
    text = edited;
    if (text === base.content) {
      d.files.remove(file);
      d.notice(`${d.dataId} already has this content (${versionOf(base)}); nothing to publish`);
      return 'unchanged';
    }
    try {
      await d.check(text, type);
    } catch (e) {
      const hint = (e as { hint?: string }).hint;
      // The very text refused last round, saved again: no person is fixing it (an editor command
      // that writes the file by itself would otherwise reopen for ever), so stop and keep it.
      if (text === refused) return keep(`the text is still not valid: ${(e as Error).message}`);
      refused = text;
      reopenWith([
        `not published: ${(e as Error).message}`,
        ...(hint ? [`hint: ${hint}`] : []),
        'Line numbers count from the first line after this note.',
        'Fix it and save to publish; quit without saving to give up (your text is kept).',
      ]);
      continue;
    }
    d.review(`review: ${d.dataId} ${versionOf(base)} → new`, unifiedDiff(diffLines(base.content, text)));
    const ok = await d.ask(`Publish the edited ${d.dataId}? It is compare-and-set: it fails if someone changed it since ${versionOf(base)}.`);
    d.review(null, []);
    if (!ok) return keep('not published');
    d.files.write(file, text);
    const result = await d.publish(file, text, base);
    if (result.exitCode === 0) {
      d.files.remove(file);
      return 'published';
    }
    const failure = result.stderr.trim().split('\n')[0]?.replace(/^opsdeck: /, '') || `config set exited ${result.exitCode}`;
    let now: ConfigItem | null = null;
    try {
      now = await d.load();
    } catch {
      // The backend is down (or the config is gone): the failure line says which.
    }
    if (now && now.token !== base.token) {
      const from = base;
      base = now;
      reopenWith([
        `not published: ${d.dataId} changed on the server since you started (${versionOf(from)} → ${versionOf(now).replace(/^version /, '')}).`,
        `What changed there, from ${versionOf(from)} to ${versionOf(now).replace(/^version /, '')}:`,
        ...unifiedDiff(diffLines(from.content, now.content)),
        `Merge it into your text below and save: the publish is then compared against ${versionOf(now)}.`,
        'To publish your text as it is, delete these note lines and save; quit without saving to give up.',
      ]);
      continue;
    }
    reopenWith([`not published: ${failure}`, 'Save to try again; quit without saving to give up (your text is kept).']);
  }
}

/** "version 3", or the md5's first digits where the backend keeps no version counter. */
function versionOf(item: ConfigItem): string {
  return item.version === null ? `md5 ${item.md5.slice(0, 8)}` : `version ${item.version}`;
}

/**
 * How the note is written for a config type. YAML, properties and TOML have `#` comments; JSON has
 * none (and XML and HTML comments need a closing mark), and a text config has no syntax at all, so they get lines starting with `//opsdeck:`,
 * which no JSON document starts with. Either way only the lines at the very top that carry the
 * marker are the note.
 */
export function notePrefix(type: ConfigType): string {
  return type === 'yaml' || type === 'properties' || type === 'toml' ? '# opsdeck:' : '//opsdeck:';
}

export function withNote(type: ConfigType, note: readonly string[], text: string): string {
  const p = notePrefix(type);
  const lines = [`lines at the top starting with "${p}" are removed before your text is checked and published`, ...note];
  return lines.map((l) => (l === '' ? p : `${p} ${l}`)).join('\n') + '\n' + text;
}

export function withoutNote(type: ConfigType, raw: string): string {
  const p = notePrefix(type);
  const lines = raw.split('\n');
  let i = 0;
  while (i < lines.length && lines[i]!.startsWith(p)) i++;
  return i === 0 ? raw : lines.slice(i).join('\n');
}
