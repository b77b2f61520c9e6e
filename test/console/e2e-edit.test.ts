import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN, opsdeck } from '../helpers/cli.js';
import { startConsoleIn, useConsoleSandbox } from '../helpers/console-term.js';

const ctx = useConsoleSandbox(160, 40);
let state: string;

beforeEach(() => {
  state = join(ctx.box.dir, 'editor');
  mkdirSync(state);
  // A scripted $EDITOR: each time it opens it keeps a copy of what it was given (seen-N), notes
  // the path, then runs round-N.sh on the file if the test wrote one (none: quit without saving).
  writeFileSync(
    join(state, 'editor.sh'),
    ['#!/bin/sh', 'state=$(dirname "$0")', 'n=$(( $(cat "$state/n" 2>/dev/null || echo 0) + 1 ))', 'echo $n > "$state/n"', 'cp "$1" "$state/seen-$n"', 'echo "$1" > "$state/path"', '[ -f "$state/round-$n.sh" ] && . "$state/round-$n.sh"', 'exit 0', ''].join('\n'),
  );
  chmodSync(join(state, 'editor.sh'), 0o755);
});
afterEach(() => {
  // A kept edit lives in its own temp dir, outside the sandbox.
  if (existsSync(join(state, 'path'))) rmSync(dirname(readFileSync(join(state, 'path'), 'utf8').trim()), { recursive: true, force: true });
});

const round = (n: number, ...lines: string[]) => writeFileSync(join(state, `round-${n}.sh`), lines.join('\n') + '\n');
const seen = (n: number) => readFileSync(join(state, `seen-${n}`), 'utf8');
const config = () => opsdeck(ctx.box.env, ['config', 'get', 'orders.yaml']).json() as { content: string; version: number };

/** Opens the console, goes to the config pane and presses e on orders.yaml. */
async function editOrders(): Promise<void> {
  expect(opsdeck(ctx.box.env, ['config', 'set', 'orders.yaml', '--value', 'pool: 40\n']).code).toBe(0);
  const editor = join(state, 'editor.sh');
  startConsoleIn(ctx.term, { ...ctx.box.env, EDITOR: editor, VISUAL: editor });
  await ctx.term.waitFor(/local›/);
  ctx.term.keys('Escape');
  await ctx.term.waitFor(/ \(pane focus\)/);
  ctx.term.type('2');
  await ctx.term.waitFor(/orders\.yaml/);
  ctx.term.type('e');
}

/** From the config pane back to the prompt, and out. */
async function leave(): Promise<void> {
  ctx.term.type(':');
  await ctx.term.waitFor(/Tab complete/);
  ctx.term.keys('C-d');
  await ctx.term.waitFor(/EXITED:0/);
}

describe('console config edit loop, in a real terminal', () => {
  it('invalid YAML reopens the editor with the error on top; the fixed text is reviewed and published', async () => {
    round(1, `printf 'pool: [55\\n' > "$1"`);
    round(2, `sed -i '/^# opsdeck:/d; s/\\[55/55/' "$1"`);
    await editOrders();
    const review = await ctx.term.waitFor(/Publish the edited orders\.yaml/, 30_000);
    expect(review).toMatch(/review: orders\.yaml version 1 → new/);
    expect(seen(2)).toMatch(/^# opsdeck: not published: the content is not valid YAML at line \d+, column \d+/m);
    expect(seen(2).endsWith('\npool: [55\n')).toBe(true);
    ctx.term.type('y');
    await ctx.term.waitFor(() => config().version === 2);
    expect(config().content).toBe('pool: 55\n');
    // Published: the temp file is gone.
    await ctx.term.waitFor(() => !existsSync(readFileSync(join(state, 'path'), 'utf8').trim()));
    await leave();
  }, 90_000);

  it('a compare-and-set conflict reopens the editor with what changed on the server; the merge publishes over it', async () => {
    writeFileSync(join(state, 'theirs.yaml'), 'pool: 40\nretries: 5\n');
    // While the editor is open, another process publishes a new version.
    round(1, `"${process.execPath}" "${BIN}" config set orders.yaml --file "$state/theirs.yaml" >/dev/null`, `printf 'pool: 55\\n' > "$1"`);
    round(2, `sed -i '/^# opsdeck:/d' "$1"`, `printf 'retries: 5\\n' >> "$1"`);
    await editOrders();
    await ctx.term.waitFor(/review: orders\.yaml version 1 → new/, 30_000);
    await ctx.term.waitFor(/Publish the edited orders\.yaml/);
    ctx.term.type('y');
    // Reopened on the conflict, then asked again, now against version 2.
    await ctx.term.waitFor(/review: orders\.yaml version 2 → new/, 30_000);
    const note = seen(2);
    expect(note).toMatch(/^# opsdeck: not published: orders\.yaml changed on the server since you started \(version 1 → 2\)\.$/m);
    expect(note).toMatch(/^# opsdeck: \+\s*retries: 5$/m);
    expect(note.endsWith('\npool: 55\n')).toBe(true);
    await ctx.term.waitFor(/Publish the edited orders\.yaml/);
    ctx.term.type('y');
    await ctx.term.waitFor(() => config().version === 3);
    expect(config().content).toBe('pool: 55\nretries: 5\n');
    await leave();
  }, 90_000);

  it('giving up (quitting the reopened editor without changes) keeps the file and prints its path', async () => {
    round(1, `printf 'pool: [55\\n' > "$1"`);
    await editOrders();
    const screen = await ctx.term.waitFor(/you left the file as it was; nothing was published\. Your text is kept in \S+/, 30_000);
    const path = readFileSync(join(state, 'path'), 'utf8').trim();
    expect(screen).toContain(`Your text is kept in ${path};`);
    expect(readFileSync(path, 'utf8')).toBe('pool: [55\n');
    expect(config()).toMatchObject({ version: 1, content: 'pool: 40\n' });
    await leave();
  }, 90_000);
});
