import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../src/commands/table.js';

/** The layering rules of ARCHITECTURE.md, checked on every import of every source file. */
const SRC = resolve(__dirname, '../src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') || p.endsWith('.tsx') ? [p] : [];
  });
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2]!);
}

function resolved(file: string, spec: string): string {
  return spec.startsWith('.') ? relative(SRC, resolve(file, '..', spec)) : spec;
}

const all = files(SRC).map((f) => ({ path: relative(SRC, f), deps: imports(f).map((s) => resolved(f, s)) }));

describe('architecture invariants', () => {
  it('core/ imports nothing outside core/ and does no I/O', () => {
    for (const f of all.filter((x) => x.path.startsWith('core/'))) {
      for (const d of f.deps) {
        expect(d.startsWith('core/') || d === 'node:crypto' ? '' : `${f.path} imports ${d}`).toBe('');
      }
      const text = readFileSync(join(SRC, f.path), 'utf8');
      expect(/node:(fs|net|child_process|http)|process\.(stdout|stderr|stdin)/.test(text) ? f.path : '').toBe('');
    }
  });

  it('adapters never import each other, and only core/, engine/ (embedded), the kit and their own folder', () => {
    for (const f of all.filter((x) => /^adapters\/[^/]+\//.test(x.path))) {
      const own = f.path.split('/').slice(0, 2).join('/');
      for (const d of f.deps.filter((x) => x.startsWith('adapters/'))) {
        expect(d.startsWith(own + '/') || d.startsWith('adapters/kit/') || d === 'adapters/types.js' ? '' : `${f.path} imports ${d}`).toBe('');
      }
      for (const d of f.deps.filter((x) => /^(commands|frontends|render|session|shell)\//.test(x))) {
        expect(`${f.path} imports ${d}`).toBe('');
      }
    }
  });

  it('the adapter kit imports only core/, itself and node or npm modules, never an adapter', () => {
    const kit = all.filter((x) => x.path.startsWith('adapters/kit/'));
    expect(kit.length).toBeGreaterThan(0);
    // Resolved relative imports start with a folder (or file) of src/; anything else is a package.
    const ours = new Set(readdirSync(SRC).map((n) => n.replace(/\.tsx?$/, '')));
    for (const f of kit) {
      for (const d of f.deps.filter((x) => ours.has(x.split('/')[0]!.replace(/\.js$/, '')))) {
        expect(d.startsWith('core/') || d.startsWith('adapters/kit/') ? '' : `${f.path} imports ${d}`).toBe('');
      }
    }
  });

  it('frontends reach adapters only through session/, and commands never print', () => {
    for (const f of all.filter((x) => x.path.startsWith('frontends/') || x.path.startsWith('commands/'))) {
      expect(f.deps.filter((d) => /^adapters\/[^/]+\//.test(d) || d.startsWith('engine/'))).toEqual([]);
    }
    for (const f of all.filter((x) => x.path.startsWith('commands/'))) {
      const text = readFileSync(join(SRC, f.path), 'utf8');
      expect(/console\.(log|error)|process\.(stdout|stderr)\.write/.test(text) ? f.path : '').toBe('');
    }
  });

  it('scope defaults live in the backends: no command, front end, session, shell or render file writes Nacos\' public or DEFAULT_GROUP', () => {
    const outside = all.filter((f) => /^(commands|frontends|session|shell|render)\//.test(f.path));
    expect(outside.length).toBeGreaterThan(0);
    for (const f of outside) {
      const text = readFileSync(join(SRC, f.path), 'utf8');
      expect(/['"](public|DEFAULT_GROUP)['"]/.test(text) ? f.path : '').toBe('');
    }
  });

  it('the console reads through the commands: nothing under frontends/tui holds a session or reaches a backend', () => {
    const tui = all.filter((x) => x.path.startsWith('frontends/tui/'));
    expect(tui.length).toBeGreaterThan(10);
    for (const f of tui) {
      // No adapter, no engine, no Session (the object that opens backends), no session-taking helper of the command layer.
      expect(f.deps.filter((d) => /^(adapters|engine)\//.test(d) || d === 'session/session.js' || /^commands\/(live-lists|listing|list-scoped|change-feeds|find-one)\.js$/.test(d))).toEqual([]);
      const code = readFileSync(join(SRC, f.path), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$|^(import|export) .* from .*$/gm, '')
        // Prose in strings is not code: keep only a template's ${…} parts.
        .replace(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"/g, "''")
        .replace(/`(?:[^`\\]|\\.)*`/g, (t) => [...t.matchAll(/\$\{([^}]*)\}/g)].map((m) => m[1]).join(' '));
      // A backend is opened only by a session; a pane that had one could call it.
      const uses = [...code.matchAll(/\bsession\b[\w.]*\(?/g)].map((m) => m[0]);
      // boot-console.ts opens the session and start-console.ts carries it on: they read the profile
      // from it and hand it to consoleReads, nothing else.
      const allowed = ['frontends/tui/boot-console.ts', 'frontends/tui/start-console.ts'].includes(f.path) ? /^session(\.profile[\w.]*|\.backends\(|\.dataDir(From)?)?$/ : /^$/;
      expect(uses.filter((u) => !allowed.test(u)).map((u) => `${f.path}: ${u}`)).toEqual([]);
      expect(/\.(registryBackends?|configBackends?|lockBackends?)\(|\bawait\s+\w+\.open\(\)/.test(code) ? f.path : '').toBe('');
    }
  });

  it('the console loads Ink (React, yoga) only after its boot frame: nothing start-up imports statically reaches it', () => {
    // A static import is evaluated before the importer's first line runs; one from the controller
    // to a component once put 0.6 MB of Ink ahead of the boot prompt (3× node's start instead of 1.5×).
    const staticDeps = (path: string): string[] => {
      const text = readFileSync(join(SRC, path), 'utf8');
      return [...text.matchAll(/^(?:import|export)(?!\s+type\b)[^'"]*?from\s+['"]([^'"]+)['"]|^import\s+['"]([^'"]+)['"]/gm)].map((m) => resolved(join(SRC, path), m[1] ?? m[2]!));
    };
    const source = (dep: string): string | null => {
      for (const ext of ['.ts', '.tsx']) {
        const p = dep.replace(/\.js$/, ext);
        if (all.some((f) => f.path === p)) return p;
      }
      return null;
    };
    const seen = new Map<string, string>();
    const queue = ['main.ts', 'frontends/run-front-end.ts', 'frontends/tui/start-console.ts'];
    queue.forEach((q) => seen.set(q, q));
    const reached: string[] = [];
    while (queue.length > 0) {
      const at = queue.shift()!;
      for (const d of staticDeps(at)) {
        if (/^(ink|react|yoga-layout)(\/|$)/.test(d) || d.includes('/components/')) reached.push(`${seen.get(at)} → ${d}`);
        const next = source(d);
        if (next !== null && !seen.has(next)) {
          seen.set(next, `${seen.get(at)} → ${next}`);
          queue.push(next);
        }
      }
    }
    expect(seen.size).toBeGreaterThan(20);
    expect(reached).toEqual([]);
  });

  it('render/ is pure: no I/O modules and no session or adapter imports', () => {
    for (const f of all.filter((x) => x.path.startsWith('render/'))) {
      expect(f.deps.filter((d) => d.startsWith('node:') || /^(session|adapters|engine|frontends)\//.test(d))).toEqual([]);
    }
  });

  it('flags are declared once, in option specs: nothing else writes a commander flag or a flag list', () => {
    for (const f of all) {
      const text = readFileSync(join(SRC, f.path), 'utf8');
      // commander's .option('-x, --name <v>') and hand-written sets of flag words are the two ways a flag got restated.
      expect(/\.(?:option|requiredOption)\(\s*['"`]-|new Set\(\[\s*['"]--/.test(text) ? f.path : '').toBe('');
    }
  });

  it('the command table has unique paths, and every command documents itself', () => {
    const ids = COMMANDS.map((c) => c.path.join(' '));
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of COMMANDS) {
      expect(c.summary.length).toBeGreaterThan(10);
      expect(c.examples.length).toBeGreaterThan(0);
      for (const e of c.examples) expect(e.startsWith(`opsdeck ${c.path.join(' ')}`)).toBe(true);
    }
  });
});

describe('documentation', () => {
  const ROOT = resolve(__dirname, '..');
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

  it('the README\'s Commands table names every command of the table, and the first screen shows the two commands', () => {
    const table = readme.slice(readme.indexOf('## Commands'), readme.indexOf('\n## ', readme.indexOf('## Commands') + 1));
    for (const c of COMMANDS) {
      const id = c.path.join(' ');
      // Each command starts a backquoted usage in a table row: `metrics query EXPR`, `version`.
      expect(new RegExp('`' + id.replace(/ /g, ' ') + '[ `]').test(table) ? '' : `the Commands table misses ${id}`).toBe('');
    }
    const firstScreen = readme.split('\n').slice(0, 15).join('\n');
    expect(firstScreen).toContain('npm ci');
    expect(firstScreen).toContain('npm test');
  });

  it('no tracked text file holds a merge conflict marker', () => {
    const tracked = execFileSync('git', ['ls-files'], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter((f) => /\.(ts|tsx|mjs|js|md|json|ya?ml|xml|sh|py)$/.test(f));
    const marked = tracked.filter((f) => {
      try {
        return /^(<{7} |>{7} |={7}$)/m.test(readFileSync(join(ROOT, f), 'utf8'));
      } catch {
        return false;
      }
    });
    expect(marked).toEqual([]);
  });

  it('every relative link in README.md, ARCHITECTURE.md and docs/ points at a file that exists, and at a heading in it', () => {
    const files = ['README.md', 'ARCHITECTURE.md', ...readdirSync(join(ROOT, 'docs'), { recursive: true }).map(String).filter((f) => f.endsWith('.md')).map((f) => join('docs', f))];
    const anchorsOf = (text: string) =>
      new Set(
        [...text.matchAll(/^#{1,6} (.+)$/gm)].map((m) =>
          m[1]!
            .trim()
            .toLowerCase()
            .replace(/[^\w\- ]/g, '')
            .replace(/ /g, '-'),
        ),
      );
    const problems: string[] = [];
    for (const f of files) {
      const text = readFileSync(join(ROOT, f), 'utf8');
      for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const link = m[1]!;
        if (/^[a-z]+:/.test(link)) continue;
        const [path, anchor] = link.split('#') as [string, string | undefined];
        const target = path === '' ? join(ROOT, f) : resolve(join(ROOT, f), '..', path);
        let targetText: string;
        try {
          targetText = readFileSync(target, 'utf8');
        } catch {
          problems.push(`${f}: ${link} (no such file)`);
          continue;
        }
        if (anchor && target.endsWith('.md') && !anchorsOf(targetText).has(anchor)) problems.push(`${f}: ${link} (no such heading)`);
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('shell layer', () => {
  it('shell/ (replay, line editing, completion) stays free of front ends, sessions and backends', () => {
    for (const f of all.filter((x) => x.path.startsWith('shell/'))) {
      expect(f.deps.filter((d) => /^(frontends|session|adapters|engine)\//.test(d))).toEqual([]);
    }
  });
});
