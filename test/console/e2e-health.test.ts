import { describe, expect, it } from 'vitest';
import { writeProfileFile } from '../helpers/cli.js';
import { startConsoleIn, useConsoleSandbox } from '../helpers/console-term.js';
import { freePort, startRedis } from '../servers/redis-server.js';

/** Per test: each step waits on the screen with a generous bound, so a test may take long on a loaded machine. */
const E2E_TIMEOUT = 300_000;

const ctx = useConsoleSandbox(140, 36);

/** The status bar: the first line of the screen. */
const bar = (s: string) => s.split('\n')[0]!;

describe('the status bar and the panes share one health model (real Redis, a Prometheus that is down)', () => {
  it('a killed Redis is locks ✗ in the bar and a red row in the pane; a dead Prometheus is metrics ✗; tx without a backend stays grey –', async () => {
    const { box, term } = ctx;
    const redis = await startRedis();
    const deadPort = await freePort();
    try {
      writeProfileFile(
        box.env,
        [
          'profiles:',
          '  local:',
          '    registry: {type: embedded}',
          '    config: {type: embedded}',
          `    locks: [{type: embedded}, {type: redis, name: redis, url: "${redis.url}"}]`,
          `    metrics: {type: prometheus, url: "http://127.0.0.1:${deadPort}"}`,
          '',
        ].join('\n'),
      );
      startConsoleIn(term, box.env);
      await term.waitFor(/local›/);
      // The background ping finds Prometheus down before its pane is ever opened; Redis is up.
      const first = await term.waitFor((s) => /metrics ✗/.test(bar(s)) && /locks ✓/.test(bar(s)));
      expect(bar(first)).toMatch(/services ✓ {2}config ✓ {2}locks ✓ {2}metrics ✗ {2}tx – /);

      await redis.stop();
      term.keys('Escape');
      await term.waitFor(/\(pane focus\)/);
      term.type('3');
      term.type('R');
      // The pane's red row and the bar say the same.
      const down = await term.waitFor((s) => /^\S*\s*redis\s+(\(not listed\)|✗ not listed)/m.test(s.replace(/^▶ /gm, '')) && /locks ✗/.test(bar(s)));
      expect(bar(down)).not.toMatch(/locks ✓/);

      // The tx pane on a profile without a tx backend: grey, never a red ✗.
      term.type('5');
      await term.waitFor(/transactions/);
      term.type('R');
      const tx = await term.waitFor(/no tx backend/);
      expect(bar(tx)).toMatch(/tx – /);
      expect(bar(tx)).not.toMatch(/tx ✗/);

      // status at the prompt answers from the same ping, and the bar agrees with it.
      term.type(':');
      term.type('status');
      term.keys('Enter');
      const status = await term.waitFor((s) => /› status\s+\[exit 3\]/.test(s));
      expect(status).toMatch(/redis/);
      expect(bar(status)).toMatch(/locks ✗ {2}metrics ✗/);
    } finally {
      await redis.stop();
    }
  }, E2E_TIMEOUT);
});
