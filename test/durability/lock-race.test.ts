import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { opsdeck, opsdeckAsync, sandbox } from '../helpers/cli.js';

let box: ReturnType<typeof sandbox>;

beforeEach(() => {
  box = sandbox();
});

afterEach(() => {
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
    const views = show.json<Array<{ name: string; holder: string | null; token: number | null; reentrancy: number; waiters: unknown[] }>>();
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
});
