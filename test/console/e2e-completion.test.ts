import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { finished, startConsoleIn, useConsoleSandbox } from '../helpers/console-term.js';
import { startPrometheus } from '../servers/prometheus-server.js';

/**
 * Completion in a real terminal against a real Prometheus: an unquoted PromQL expression gets a
 * label value and the line still runs (the word is quoted for the shell as a whole), and a Tab
 * while the names are still loading shows `loading…` instead of inserting a guess.
 */
const ctx = useConsoleSandbox(120, 32);

describe('console completion in context', () => {
  it('an unquoted PromQL expression completes a label value into a line that runs', async () => {
    const { box, term } = ctx;
    const prom = await startPrometheus();
    try {
      const dir = join(box.env.XDG_CONFIG_HOME!, 'opsdeck');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'config.yaml'), ['profiles:', '  m:', '    registry: {type: embedded}', `    metrics: {type: prometheus, url: "${prom.url}"}`, 'defaultProfile: m', ''].join('\n'));
      startConsoleIn(term, box.env, '');
      await term.waitFor(/^m›/m);
      term.type('metrics query up{job=');
      term.keys('Tab');
      // Either the names are here already (the value is offered) or the menu says it is loading;
      // never an inserted guess.
      const menuLine = /^\s+opsdeck-test\s+job of up/m;
      const first = await term.waitFor((sc) => menuLine.test(sc) || /loading…/.test(sc));
      expect(first).toMatch(/^m› metrics query up\{job=\s*$/m);
      if (!menuLine.test(first)) await term.waitFor(menuLine, 60_000);
      term.keys('Enter');
      await term.waitFor(/^m› metrics query 'up\{job="opsdeck-test"'/m);
      term.type('}');
      await term.waitFor(/^m› metrics query 'up\{job="opsdeck-test"\}'/m);
      term.keys('Enter');
      const done = await term.waitFor(finished(`metrics query 'up{job="opsdeck-test"}'`, 'm'), 60_000);
      expect(done).not.toMatch(/unclosed|internal error|\[exit \d+\]/);
      expect(done).toMatch(/up\{[^}\n]*job="opsdeck-test"/);
      term.keys('C-d');
      await term.waitFor(/EXITED:0/);
    } finally {
      await prom.stop();
    }
  }, 240_000);
});
