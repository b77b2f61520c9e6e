import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/commands/table.js';
import { parseArgs } from '../../src/frontends/cli/build-program.js';
import { quickParse } from '../../src/frontends/cli/quick-parse.js';

/** The words of an example line ("opsdeck services list -o json"), quotes honoured. */
function wordsOf(line: string): string[] {
  // An example's shell part (a redirection, a second command, a comment) is not opsdeck's.
  const own = line.split(/\s(?:>|&&|\||#)\s/)[0]!;
  const words = [...own.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]!);
  return words[0] === 'opsdeck' ? words.slice(1) : words;
}

/** What commander makes of the words: the invocation, or the usage error it gives. */
function viaCommander(words: string[]) {
  try {
    const p = parseArgs(COMMANDS, words, 'cli', '0.0.0');
    return p.kind === 'command' ? { inv: p.inv } : { other: p.kind };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

function viaQuick(words: string[]) {
  try {
    const inv = quickParse(COMMANDS, words);
    return inv === null ? null : { inv };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

const examples = COMMANDS.flatMap((c) => c.examples.map(wordsOf)).filter((w) => w.length > 0 && !w.some((x) => x.includes('$')));

// Lines the fast path must leave to commander, or parse exactly as it does.
const edges = [
  'services list --namespace',
  'services list --namespace -o json',
  'services list -o yaml --no-color',
  'services list -o xml',
  'services list --nope',
  'services list extra',
  'services list --help',
  'services list -h',
  'services list -oyaml',
  'services list --output=json',
  'services list --no-color=1',
  'services list -- --namespace',
  '--profile dev services list',
  'services show',
  'services show a b',
  'config get web.yaml --group G --namespace prod -o json',
  'config get web.yaml --group=G',
  'locks release a --owner x --yes',
  'bench http://127.0.0.1:1/ --rate 10 --duration 1s -o json',
  'bench service web --path /x --instances a,b',
  'instances drain orders 10.0.0.1:8080 --yes --debug',
  'cache simulate --zipf 1.0 --keys 10 --requests 100 --sizes 1%,5%',
  'cache simulate --zipf abc',
  'metrics query up --time -5m',
  'version',
  'help services list',
].map(wordsOf);

describe('the fast path of the CLI parser (quick-parse.ts)', () => {
  it('takes every example of the command table, and parses each exactly as commander does', () => {
    expect(examples.length).toBeGreaterThan(60);
    const taken = examples.filter((w) => viaQuick(w) !== null);
    // Nearly every example is a plain line; those it leaves to commander are named here.
    expect(examples.filter((w) => viaQuick(w) === null).map((w) => w.join(' '))).toEqual([]);
    for (const w of taken) expect({ line: w.join(' '), ...viaQuick(w) }).toEqual({ line: w.join(' '), ...viaCommander(w) });
  });

  it('either leaves an unusual line to commander or agrees with it, error messages included', () => {
    let taken = 0;
    for (const w of edges) {
      const quick = viaQuick(w);
      if (quick === null) continue;
      taken++;
      expect({ line: w.join(' '), ...quick }).toEqual({ line: w.join(' '), ...viaCommander(w) });
    }
    expect(taken).toBeGreaterThan(8);
  });

  it('leaves to commander what it cannot parse as commander would', () => {
    for (const line of ['services list --nope', 'services list --help', 'services list -oyaml', 'services list -- --namespace', '--profile dev services list', 'services list extra', 'services list -o xml', 'services list --namespace']) {
      expect(quickParse(COMMANDS, wordsOf(line)), line).toBeNull();
    }
  });
});
