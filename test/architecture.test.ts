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

  it('adapters never import each other: only core/, engine/ (embedded), the kit and their own folder', () => {
    for (const f of all.filter((x) => /^adapters\/[^/]+\//.test(x.path) && !x.path.startsWith('adapters/kit/'))) {
      const own = f.path.split('/').slice(0, 2).join('/');
      for (const d of f.deps.filter((x) => x.startsWith('adapters/'))) {
        expect(d.startsWith(own + '/') || d.startsWith('adapters/kit/') || d === 'adapters/types.js' ? '' : `${f.path} imports ${d}`).toBe('');
      }
      for (const d of f.deps.filter((x) => /^(commands|frontends|render|session|shell)\//.test(x))) {
        expect(`${f.path} imports ${d}`).toBe('');
      }
    }
  });

  it('the adapter kit imports only core/, itself and node or npm modules', () => {
    const kit = all.filter((x) => x.path.startsWith('adapters/kit/'));
    expect(kit.length).toBeGreaterThan(0);
    // A dependency inside src/ is resolved to a path under one of its top-level entries.
    const internal = new Set(readdirSync(SRC).map((e) => e.replace(/\.tsx?$/, '')));
    for (const f of kit) {
      for (const d of f.deps) {
        const ok = d.startsWith('core/') || d.startsWith('adapters/kit/') || !internal.has(d.split('/')[0]!.replace(/\.js$/, ''));
        expect(ok ? '' : `${f.path} imports ${d}`).toBe('');
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

  it('render/ is pure: no I/O modules and no session or adapter imports', () => {
    for (const f of all.filter((x) => x.path.startsWith('render/'))) {
      expect(f.deps.filter((d) => d.startsWith('node:') || /^(session|adapters|engine|frontends)\//.test(d))).toEqual([]);
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
  it('the README documents every command of the table and shows the two commands first', () => {
    const readme = readFileSync(resolve(__dirname, '../README.md'), 'utf8');
    for (const c of COMMANDS) expect(readme.includes(`\`${c.path.join(' ')}`) ? '' : `README misses ${c.path.join(' ')}`).toBe('');
    const firstScreen = readme.split('\n').slice(0, 15).join('\n');
    expect(firstScreen).toContain('npm ci');
    expect(firstScreen).toContain('npm test');
  });
});

describe('shell layer', () => {
  it('shell/ (replay, line editing, completion) stays free of front ends, sessions and backends', () => {
    for (const f of all.filter((x) => x.path.startsWith('shell/'))) {
      expect(f.deps.filter((d) => /^(frontends|session|adapters|engine)\//.test(d))).toEqual([]);
    }
  });
});
