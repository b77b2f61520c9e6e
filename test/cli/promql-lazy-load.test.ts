import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The PromQL parser (Lezer) is loaded only when a PromQL argument is checked or completed: the
 * built bundle must keep it out of the modules every start-up reads. Checked on dist/, which the
 * CLI tests run (the test suite builds it first).
 */
const DIST = resolve(__dirname, '../../dist');

/**
 * Local modules a bundle file requires as it loads. The bundle is CommonJS (scripts/build.mjs): a
 * static import became `require('./x.js')`, a dynamic one `Promise.resolve().then(() => require('./x.js'))`.
 */
function staticImports(file: string): string[] {
  const text = readFileSync(join(DIST, file), 'utf8');
  return [...text.matchAll(/(?<!=> )\brequire\('\.\/([^']+\.js)'\)/g)].map((m) => m[1]!);
}

/** What a file's static closure loads on demand. */
function dynamicImports(files: Iterable<string>): string[] {
  return [...files].flatMap((f) => [...readFileSync(join(DIST, f), 'utf8').matchAll(/=> require\('\.\/([^']+\.js)'\)/g)].map((m) => m[1]!));
}

function closure(roots: string[]): Set<string> {
  const seen = new Set<string>();
  const todo = [...roots];
  while (todo.length > 0) {
    const f = todo.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    todo.push(...staticImports(f));
  }
  return seen;
}

/**
 * What every start reads: main.js and its static imports, and the front-end runner main.js loads
 * for every line but `version -o json` (with its static imports).
 */
function startupClosure(): Set<string> {
  const entry = closure(['main.js']);
  const frontEnd = dynamicImports(entry).find((f) => f.startsWith('run-front-end-'));
  expect(frontEnd).toBeDefined();
  return closure([...entry, frontEnd!]);
}

const hasParser = (file: string) => readFileSync(join(DIST, file), 'utf8').includes('LRParser');

describe('start-up does not load the PromQL parser', () => {
  it('no module reached by static imports from main.js contains the Lezer parser; a lazily loaded one does', () => {
    const startup = startupClosure();
    expect(startup.size).toBeGreaterThan(1);
    expect([...startup].filter(hasParser)).toEqual([]);
    const lazy = readdirSync(DIST).filter((f) => f.endsWith('.js') && !startup.has(f) && hasParser(f));
    expect(lazy).toHaveLength(1);
  });
});

/** The sources bundled into a file, from its source map. */
const sourcesOf = (file: string): string[] => (JSON.parse(readFileSync(join(DIST, `${file}.map`), 'utf8')) as { sources: string[] }).sources;

describe('start-up loads only what a one-shot command needs', () => {
  it('the script runner and the table views (with their charts) are not in the modules every start-up reads', () => {
    const startupSources = [...startupClosure()].flatMap(sourcesOf);
    expect(startupSources.filter((s) => /src\/(shell\/replay-runner|shell\/replay-precheck|render\/views|render\/chart\/render-chart)\.ts$/.test(s))).toEqual([]);
    // They exist, loaded on demand.
    const all = readdirSync(DIST).filter((f) => f.endsWith('.js')).flatMap(sourcesOf);
    expect(all.some((s) => s.endsWith('src/shell/replay-runner.ts'))).toBe(true);
    expect(all.some((s) => s.endsWith('src/render/views.ts'))).toBe(true);
  });
});

describe('`version -o json` reads almost nothing', () => {
  it('main.js and its static imports hold neither commander nor the command table', () => {
    const seen = new Set<string>();
    const todo = ['main.js'];
    while (todo.length > 0) {
      const f = todo.pop()!;
      if (seen.has(f)) continue;
      seen.add(f);
      todo.push(...staticImports(f));
    }
    const sources = [...seen].flatMap(sourcesOf);
    expect(sources.some((s) => s.endsWith('src/main.ts'))).toBe(true);
    expect(sources.filter((s) => /node_modules\/commander\/|src\/commands\/table\.ts$|src\/frontends\/run-front-end\.ts$/.test(s))).toEqual([]);
  });
});


describe('start-up leaves the heavy subsystems to the commands that use them', () => {
  it('the HDR histogram (with its WASM), the PromQL evaluator and the embedded metrics store are not in the modules every start-up reads', () => {
    const startupSources = [...startupClosure()].flatMap(sourcesOf);
    const heavy = (s: string) => /hdr-histogram-js|src\/loadgen\/latency-|src\/promql\/evaluator\.ts$|src\/engine\/metrics\//.test(s);
    expect(startupSources.filter(heavy)).toEqual([]);
    // They are bundled all the same, loaded on demand.
    const all = readdirSync(DIST).filter((f) => f.endsWith('.js')).flatMap(sourcesOf);
    expect(all.some((s) => s.includes('hdr-histogram-js'))).toBe(true);
    expect(all.some((s) => s.endsWith('src/promql/evaluator.ts'))).toBe(true);
  });
});
