import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN, opsdeck, opsdeckAsync, sandbox } from '../helpers/cli.js';

let box: ReturnType<typeof sandbox>;

beforeEach(() => {
  box = sandbox();
});

const live: ChildProcessWithoutNullStreams[] = [];

afterEach(() => {
  for (const child of live.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  box.cleanup();
});

interface Acquired {
  name: string;
  holder: string;
  token: number;
  expiresAt: string;
}

describe('locks across processes', () => {
  it('20 processes racing for one lock: exactly one wins, 19 are told who holds it', async () => {
    const racers = 20;
    const results = await Promise.all(
      Array.from({ length: racers }, (_, i) => opsdeckAsync(box.env, ['locks', 'acquire', 'SAME', '--owner', `p${i}`, '--ttl', '30s', '-o', 'json'])),
    );

    const winners = results.flatMap((r, i) => (r.code === 0 ? [i] : []));
    expect(winners, results.map((r, i) => `p${i}: exit ${r.code} ${r.stderr.trim()}`).join('\n')).toHaveLength(1);
    const w = winners[0]!;
    const won = results[w]!.json<Acquired>();
    expect(won.name).toBe('SAME');
    expect(won.holder).toBe(`p${w}`);
    // The store was fresh, so the single successful acquire drew the first fencing token.
    expect(won.token).toBe(1);

    for (const [i, r] of results.entries()) {
      if (i === w) continue;
      expect(r.code, `p${i}: ${r.stderr}`).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(`lock SAME is held by p${w} `);
    }

    const show = opsdeck(box.env, ['locks', 'show', 'SAME', '-o', 'json']);
    expect(show.code, show.stderr).toBe(0);
    const views = show.json<{ locks: Array<{ name: string; holder: string | null; token: number | null; reentrancy: number; waiters: unknown[] }> }>().locks;
    expect(views).toHaveLength(1);
    expect(views[0]).toMatchObject({ name: 'SAME', holder: `p${w}`, token: 1, reentrancy: 1, waiters: [] });
  }, 120_000);

  it('sequential acquire/release by different owners in separate processes gives strictly increasing tokens', () => {
    const tokens: number[] = [];
    for (let i = 0; i < 6; i++) {
      const owner = `owner-${i}`;
      const acq = opsdeck(box.env, ['locks', 'acquire', 'FENCED', '--owner', owner, '--ttl', '30s', '-o', 'json']);
      expect(acq.code, acq.stderr).toBe(0);
      const got = acq.json<Acquired>();
      expect(got.holder).toBe(owner);
      tokens.push(got.token);

      // A different owner cannot take it while it is held, and a refusal does not consume a token.
      const other = opsdeck(box.env, ['locks', 'acquire', 'FENCED', '--owner', 'intruder', '-o', 'json']);
      expect(other.code).toBe(1);
      expect(other.stderr).toContain(`held by ${owner}`);

      const rel = opsdeck(box.env, ['locks', 'release', 'FENCED', '--owner', owner, '-o', 'json']);
      expect(rel.code, rel.stderr).toBe(0);
      expect(rel.json()).toMatchObject({ name: 'FENCED', released: true, remaining: 0 });
    }
    for (let i = 1; i < tokens.length; i++) expect(tokens[i]!, `tokens ${tokens.join(', ')}`).toBeGreaterThan(tokens[i - 1]!);

    // Tokens are global to the store: another lock continues the same sequence.
    const another = opsdeck(box.env, ['locks', 'acquire', 'OTHER', '--owner', 'x', '-o', 'json']);
    expect(another.code, another.stderr).toBe(0);
    expect(another.json<Acquired>().token).toBeGreaterThan(tokens.at(-1)!);
  }, 120_000);

  it('warm processes released together: every round has exactly one winner and the next token', async () => {
    // One-shot processes start seconds apart on a small machine, so their store transactions rarely
    // overlap. Here 20 replay processes first warm up (modules loaded, store opened by a first write), then get the
    // same acquire line at the same moment, so all of them contend for the store within a few ms.
    const racers = Array.from({ length: 20 }, (_, i) => {
      const child = spawn(process.execPath, [BIN, '--continue-on-error'], { env: box.env, stdio: ['pipe', 'pipe', 'pipe'] });
      live.push(child);
      const racer = { owner: `p${i}`, child, stdout: '', stderr: '', results: [] as unknown[] };
      child.stdin.on('error', () => undefined);
      child.stderr.setEncoding('utf8').on('data', (d: string) => (racer.stderr += d));
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        racer.stdout += d;
        let end: number;
        while ((end = racer.stdout.search(/\n[}\]]\n/)) >= 0) {
          racer.results.push(JSON.parse(racer.stdout.slice(0, end + 2)));
          racer.stdout = racer.stdout.slice(end + 3);
        }
      });
      return racer;
    });
    const waitFor = async (what: string, done: () => boolean) => {
      const deadline = Date.now() + 30_000;
      while (!done()) {
        const dead = racers.find((r) => r.child.exitCode !== null);
        if (dead || Date.now() > deadline) {
          throw new Error(`gave up waiting for ${what}${dead ? ` (${dead.owner} exited ${dead.child.exitCode})` : ''}:\n${racers.map((r) => `${r.owner}: ${r.stderr.trim()}`).join('\n')}`);
        }
        await new Promise((r) => setTimeout(r, 5));
      }
    };

    for (const r of racers) r.child.stdin.write(`config set warm-${r.owner} --value ready -o json\n`);
    await waitFor('warm-up', () => racers.every((r) => r.results.length === 1));

    const rounds = 30;
    const winners: Array<{ owner: string; token: number }> = [];
    for (let round = 0; round < rounds; round++) {
      const lock = `R${round}`;
      for (const r of racers) r.child.stdin.write(`locks acquire ${lock} --owner ${r.owner} --ttl 60s -o json\n`);
      const won = (r: (typeof racers)[number]) => r.results.some((x) => (x as { name?: string }).name === lock);
      await waitFor(`round ${round}`, () => racers.every((r) => won(r) || r.stderr.includes(`lock ${lock} is held by`)));
      const roundWinners = racers.filter(won);
      expect(roundWinners.map((r) => r.owner), `winners of ${lock}`).toHaveLength(1);
      const w = roundWinners[0]!;
      const result = w.results.find((x) => (x as { name?: string }).name === lock) as Acquired;
      expect(result.holder).toBe(w.owner);
      for (const r of racers) if (r !== w) expect(r.stderr).toContain(`lock ${lock} is held by ${w.owner} `);
      winners.push({ owner: w.owner, token: result.token });
    }
    // One acquire per round, so the fencing tokens are exactly 1..rounds in order.
    expect(winners.map((w) => w.token)).toEqual(Array.from({ length: rounds }, (_, i) => i + 1));

    for (const r of racers) r.child.stdin.end();
    const codes = await Promise.all(racers.map((r) => new Promise<number | null>((res) => (r.child.exitCode !== null ? res(r.child.exitCode) : r.child.once('close', res)))));
    // A racer that lost any round reports a failed script (exit 4); one that won every round exits 0.
    for (const [i, r] of racers.entries()) expect(codes[i], r.owner).toBe(winners.filter((w) => w.owner === r.owner).length === rounds ? 0 : 4);

    const list = opsdeck(box.env, ['locks', 'list', '-o', 'json']);
    expect(list.code, list.stderr).toBe(0);
    const held = list.json<{ locks: Array<{ name: string; holder: string; token: number }> }>().locks.map((v) => [v.name, v.holder, v.token]);
    const byName = (a: unknown[], b: unknown[]) => String(a[0]).localeCompare(String(b[0]));
    expect(held.sort(byName)).toEqual(winners.map((w, i) => [`R${i}`, w.owner, w.token]).sort(byName));
  }, 120_000);
});
