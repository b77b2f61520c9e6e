import { describe, expect, it } from 'vitest';
import { checkContent } from '../../src/commands/config/content-check.js';
import type { ConfigItem } from '../../src/core/config-center.js';
import type { ConfigType } from '../../src/core/types.js';
import { editLoop, withNote, withoutNote } from '../../src/frontends/tui/edit-loop.js';

const item = (content: string, version: number, type: ConfigType = 'yaml'): ConfigItem => ({ backend: 'embedded', namespace: 'public', group: 'DEFAULT_GROUP', dataId: `orders.${type}`, content, type, token: `md5-of-v${version}`, md5: `md5-of-v${version}`, version, updatedAt: null });

type Edit = (text: string) => string | { fail: string; text?: string };

/**
 * The loop with a scripted editor (one function per time it opens), files in memory, the real
 * content check, and a server whose answers the test scripts.
 */
function world(opts: { server: ConfigItem[]; edits: Edit[]; publish?: Array<{ exitCode: number; stderr: string; after?: ConfigItem | 'down' }>; answers?: boolean[] }) {
  const files = new Map<string, string>();
  let server: ConfigItem | 'down' = opts.server[0]!;
  const seen: string[] = [];
  const published: Array<{ content: string; md5: string; fileHeld: string }> = [];
  const notices: string[] = [];
  const questions: string[] = [];
  const reviews: Array<string | null> = [];
  const run = editLoop({
    dataId: 'orders.yaml',
    load: async () => {
      if (server === 'down') throw new Error('the registry at 127.0.0.1:1 is unreachable');
      return server;
    },
    openEditor: async (file) => {
      const edit = opts.edits.shift();
      if (!edit) throw new Error('the editor opened more often than the test expected');
      const before = files.get(file)!;
      seen.push(before);
      const out = edit(before);
      if (typeof out === 'string') files.set(file, out);
      else {
        if (out.text !== undefined) files.set(file, out.text);
        return { ok: false, reason: out.fail };
      }
      return { ok: true };
    },
    check: checkContent,
    review: (title) => void reviews.push(title),
    ask: async (message) => {
      questions.push(message);
      return opts.answers?.shift() ?? true;
    },
    setLine: (path, base) => `config set orders.yaml --file ${path} --if-md5 ${base.md5}`,
    publish: async (file, content, base) => {
      published.push({ content, md5: base.md5, fileHeld: files.get(file)! });
      const answer = opts.publish?.shift() ?? { exitCode: 0, stderr: '' };
      if (answer.after) server = answer.after;
      return answer;
    },
    notice: (t) => void notices.push(t),
    files: {
      create: (name, content) => {
        const path = `/tmp/edit-1/${name}`;
        files.set(path, content);
        return path;
      },
      read: (path) => {
        const text = files.get(path);
        if (text === undefined) throw Object.assign(new Error('gone'), { code: 'ENOENT' });
        return text;
      },
      write: (path, content) => void files.set(path, content),
      remove: (path) => void files.delete(path),
    },
  });
  return { run, files, seen, published, notices, questions, reviews, file: '/tmp/edit-1/orders.yaml' };
}

describe('config edit loop', () => {
  it('invalid YAML is not offered for publishing: the editor reopens on the text with the error on top, and the fix publishes', async () => {
    const w = world({
      server: [item('pool: 40\n', 3)],
      edits: [() => 'pool: [40\n', (t) => withoutNote('yaml', t).replace('[40', '55')],
    });
    expect(await w.run).toBe('published');
    expect(w.seen[0]).toBe('pool: 40\n');
    const reopened = w.seen[1]!;
    expect(reopened).toMatch(/^# opsdeck: lines at the top starting with "# opsdeck:" are removed/);
    expect(reopened).toMatch(/^# opsdeck: not published: the content is not valid YAML at line \d+, column \d+/m);
    expect(reopened.endsWith('\npool: [40\n')).toBe(true);
    // Only one question, after the content checked out; the published file holds no note.
    expect(w.questions).toHaveLength(1);
    expect(w.published).toEqual([{ content: 'pool: 55\n', md5: 'md5-of-v3', fileHeld: 'pool: 55\n' }]);
    expect(w.files.size).toBe(0);
  });

  it('the same invalid text saved again ends the loop and keeps it (an editor command that writes the file by itself must not reopen for ever)', async () => {
    const bad = () => 'pool: [40\n';
    const w = world({ server: [item('pool: 40\n', 3)], edits: [bad, bad] });
    expect(await w.run).toBe('kept');
    expect(w.seen).toHaveLength(2);
    expect(w.questions).toEqual([]);
    expect(w.published).toEqual([]);
    expect(w.notices.at(-1)).toMatch(/^the text is still not valid: the content is not valid YAML .*; nothing was published\. Your text is kept in \/tmp\/edit-1\/orders\.yaml/);
    expect(withoutNote('yaml', w.files.get(w.file)!)).toBe('pool: [40\n');
  });

  it('a compare-and-set conflict reopens with the server-side diff, and the next publish is against the new version', async () => {
    const theirs = item('pool: 40\nretries: 5\n', 4);
    const w = world({
      server: [item('pool: 40\n', 3)],
      edits: [() => 'pool: 55\n', (t) => withoutNote('yaml', t).replace('pool: 55\n', 'pool: 55\nretries: 5\n')],
      publish: [{ exitCode: 1, stderr: 'opsdeck: orders.yaml changed since md5-of-v3\n', after: theirs }],
    });
    expect(await w.run).toBe('published');
    const note = w.seen[1]!;
    expect(note).toMatch(/^# opsdeck: not published: orders\.yaml changed on the server since you started \(version 3 → 4\)\.$/m);
    expect(note).toMatch(/^# opsdeck: \+\s*retries: 5$/m);
    expect(note.endsWith('\npool: 55\n')).toBe(true);
    expect(w.published.map((p) => [p.content, p.md5])).toEqual([
      ['pool: 55\n', 'md5-of-v3'],
      ['pool: 55\nretries: 5\n', 'md5-of-v4'],
    ]);
  });

  it('a backend outage at publish reopens with its error; saving again retries', async () => {
    const w = world({
      server: [item('pool: 40\n', 3)],
      edits: [() => 'pool: 55\n', (t) => withoutNote('yaml', t)],
      publish: [{ exitCode: 3, stderr: 'opsdeck: the registry at 127.0.0.1:1 is unreachable (hint: start it)\n', after: 'down' }],
    });
    expect(await w.run).toBe('published');
    expect(w.seen[1]).toMatch(/^# opsdeck: not published: the registry at 127\.0\.0\.1:1 is unreachable \(hint: start it\)$/m);
    expect(w.published).toHaveLength(2);
  });

  it('quitting the reopened editor without changes gives up: the text is kept in the file and its path printed', async () => {
    const w = world({ server: [item('pool: 40\n', 3)], edits: [() => 'pool: [40\n', (t) => t] });
    expect(await w.run).toBe('kept');
    expect(w.files.get(w.file)).toBe('pool: [40\n');
    expect(w.notices.at(-1)).toBe(`you left the file as it was; nothing was published. Your text is kept in ${w.file}; to publish it later: opsdeck config set orders.yaml --file ${w.file} --if-md5 md5-of-v3`);
    expect(w.published).toEqual([]);
  });

  it('emptying the file gives up and keeps the text from before', async () => {
    const w = world({ server: [item('pool: 40\n', 3)], edits: [() => 'pool: [40\n', () => ''] });
    expect(await w.run).toBe('kept');
    expect(w.files.get(w.file)).toBe('pool: [40\n');
    expect(w.notices.at(-1)).toMatch(/^you emptied the file; nothing was published\. Your text is kept in /);
  });

  it('answering no to the publish question keeps the edit', async () => {
    const w = world({ server: [item('pool: 40\n', 3)], edits: [() => 'pool: 55\n'], answers: [false] });
    expect(await w.run).toBe('kept');
    expect(w.files.get(w.file)).toBe('pool: 55\n');
    expect(w.reviews).toEqual(['review: orders.yaml version 3 → new', null]);
  });

  it('an editor that fails keeps what the user typed; one that changes nothing leaves nothing behind', async () => {
    const failed = world({ server: [item('pool: 40\n', 3)], edits: [() => ({ fail: 'vi exited with 1', text: 'pool: 41\n' })] });
    expect(await failed.run).toBe('kept');
    expect(failed.files.get(failed.file)).toBe('pool: 41\n');
    expect(failed.notices.at(-1)).toMatch(/^vi exited with 1; nothing was published\. Your text is kept in/);

    const untouched = world({ server: [item('pool: 40\n', 3)], edits: [(t) => t] });
    expect(await untouched.run).toBe('unchanged');
    expect(untouched.files.size).toBe(0);
    expect(untouched.notices).toEqual(['no changes to orders.yaml']);
  });

  it('JSON gets a //opsdeck: note, removed again before the check and the publish', async () => {
    const w = world({
      server: [item('{"pool": 40}\n', 3, 'json')],
      edits: [() => '{"pool": 55,}\n', (t) => t.replace('55,', '55')],
    });
    expect(await w.run).toBe('published');
    expect(w.seen[1]).toMatch(/^\/\/opsdeck: not published: the content is not valid JSON/m);
    expect(w.published[0]!.content).toBe('{"pool": 55}\n');
  });

  it('the note is only the marked lines at the top', () => {
    expect(withoutNote('text', withNote('text', ['one', '', 'two'], '# not a note\nbody\n'))).toBe('# not a note\nbody\n');
    expect(withoutNote('properties', 'a=1\n# opsdeck: stays, not at the top\n')).toBe('a=1\n# opsdeck: stays, not at the top\n');
  });
});
