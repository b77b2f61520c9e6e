import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join, resolve } from 'node:path';
import { opsdeck, sandbox } from '../helpers/cli.js';
import { finished, startConsoleIn } from '../helpers/console-term.js';
import { Tmux } from '../helpers/tmux.js';
import { startPrometheus } from '../servers/prometheus-server.js';
import { startRedis } from '../servers/redis-server.js';

/** Per test: each step waits on the screen with a generous bound, so a test may take long on a loaded machine. */
const E2E_TIMEOUT = 300_000;

let box: ReturnType<typeof sandbox>;
let term: Tmux;

beforeEach(() => {
  box = sandbox();
  term = new Tmux(120, 32);
});
afterEach(() => {
  term.kill();
  box.cleanup();
});

function startConsole(extraEnv: Record<string, string> = {}, args = '') {
  startConsoleIn(term, { ...box.env, ...extraEnv }, args);
}

describe('console end to end, in a real terminal', () => {
  it('completes, runs, switches panes, filters, drains with confirmation, resizes and exits cleanly', async () => {
    expect(opsdeck(box.env, ['demo']).code).toBe(0);
    startConsole();
    await term.waitFor(/local›/);
    await term.waitFor(/orders/);

    // Type a partial command and complete it with Tab.
    term.type('servi');
    term.keys('Tab');
    await term.waitFor(/local› services(\s|$)/m);
    term.type('show orders');
    term.keys('Enter');
    await term.waitFor(/› services show orders/);
    await term.waitFor(/10\.0\.1\.11:8080/);

    // Switch to the locks pane and back to services, then filter.
    term.keys('Escape');
    await term.waitFor(/ \(pane focus\)/);
    term.type('3');
    await term.waitFor(/billing\/nightly-settlement/);
    term.type('1');
    await term.waitFor(/SERVICE\s+INSTANCES/);
    term.type('/');
    term.type('payments');
    term.keys('Enter');
    await term.waitFor((s) => /filter: payments/.test(s) && !/notifications/.test(s));

    // Drill into the service and drain the first instance, confirming the dialog.
    term.keys('Enter');
    await term.waitFor(/payments \(namespace public, group DEFAULT_GROUP\)/);
    term.type('d');
    await term.waitFor(/Drain 10\.0\.2\.11:8443/);
    term.type('y');
    await term.waitFor(/› instances drain payments 10\.0\.2\.11:8443\s*$/m);
    await term.waitFor(/drained/);
    const shown = opsdeck(box.env, ['services', 'show', 'payments']).json();
    expect(shown.instances.find((i: { id: string }) => i.id === '10.0.2.11:8443').enabled).toBe(false);

    // Resize: the frame must fit the new size (no line longer than the width).
    term.resize(90, 24);
    const small = await term.waitFor((s) => /payments/.test(s) && s.split('\n').length <= 25);
    expect(Math.max(...small.split('\n').map((l) => l.trimEnd().length))).toBeLessThanOrEqual(90);

    // Back to the prompt and leave with Ctrl-D; the terminal must be back in cooked mode.
    term.keys('Escape');
    await term.waitFor(/services in every namespace  ·  /);
    term.type(':');
    await term.waitFor(/Tab complete/);
    term.keys('C-d');
    // The shell prints the tty modes right after the exit code; on a loaded machine a capture can fall between the two.
    const after = await term.waitFor(/EXITED:\d+\n+.*icanon/);
    expect(after).toMatch(/EXITED:0/);
    expect(after).toMatch(/(^|\s)icanon(\s|$)/m);
    expect(after).toMatch(/(^|\s)echo(\s|$)/m);
    expect(after).not.toMatch(/local› /);
  }, E2E_TIMEOUT);

  it('stays responsive with a hung backend: keys echo, the pane shows the error and its data age', async () => {
    // A real redis-server, frozen with SIGSTOP: its connections stay open and nothing answers.
    // (The embedded store cannot hang a read: reads take no lock, so another process holding the
    // data dir no longer blocks them.)
    const redis = await startRedis();
    try {
      const dir = join(box.env.XDG_CONFIG_HOME!, 'opsdeck');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'config.yaml'), ['profiles:', '  h:', '    registry: {type: embedded}', `    locks: [{type: redis, name: cache, url: "${redis.url}", commandTimeoutMs: 1500}]`, 'defaultProfile: h', ''].join('\n'));
      const held = opsdeck(box.env, ['locks', 'acquire', 'deploy/orders', '--owner', 'reindexer-0', '--ttl', '10m']);
      expect(held.code, held.stderr).toBe(0);
      startConsole({}, '--refresh 1s');
      await term.waitFor(/^h›/m);
      term.keys('Escape');
      await term.waitFor(/\(pane focus\)/);
      term.type('3');
      await term.waitFor(/deploy\/orders\s+(?:\S+\s+)?reindexer-0/);
      term.type(':');
      await term.waitFor(/Tab complete/);
      redis.pause();
      // While every refresh hangs, typing still shows up at once.
      term.type('locks list');
      await term.waitFor(/h› locks list/, 10_000);
      const stale = await term.waitFor(/✗ .*(did not answer|timed out)/, 60_000);
      expect(stale).toMatch(/data \d+(\.\d)?s ago/);
      expect(stale).toMatch(/deploy\/orders/);
      redis.resume();
      term.keys('C-u');
      term.keys('C-d');
      await term.waitFor(/EXITED:0/);
    } finally {
      await redis.stop();
    }
  }, E2E_TIMEOUT);

  it('records a session that replays to the same result', async () => {
    const file = resolve(box.dir, 'session.ops');
    startConsole({}, `--record ${file}`);
    await term.waitFor(/local›/);
    term.type('instances register orders 10.0.0.1:8080');
    term.keys('Enter');
    await term.waitFor(finished('instances register orders 10.0.0.1:8080'));
    term.type('config get missing');
    term.keys('Enter');
    await term.waitFor(/\[exit 1\]/);
    term.keys('C-d');
    await term.waitFor(/EXITED:0/);
    const fresh = sandbox();
    try {
      const replayed = opsdeck(fresh.env, ['replay', file]);
      expect(replayed.stderr).toBe('opsdeck: config missing not found in namespace public, group DEFAULT_GROUP (hint: run "opsdeck config list" to see the data ids, or pass --namespace/--group for another scope)\n');
      expect(replayed.code).toBe(0);
      expect(opsdeck(fresh.env, ['services', 'list']).json().services).toEqual([expect.objectContaining({ name: 'orders', instances: 1 })]);
    } finally {
      fresh.cleanup();
    }
  }, E2E_TIMEOUT);

  it('edits a config in $EDITOR, shows the diff, and publishes it with compare-and-set', async () => {
    expect(opsdeck(box.env, ['demo']).code).toBe(0);
    const before = opsdeck(box.env, ['config', 'get', 'orders.yaml']).json();
    // A scripted "editor": changes the pool size in the file it is given.
    startConsole({ EDITOR: "sed -i 's/pool: 40/pool: 55/'" });
    await term.waitFor(/local›/);
    term.keys('Escape');
    await term.waitFor(/ \(pane focus\)/);
    term.type('2');
    await term.waitFor(/orders\.yaml/);
    term.type('/orders');
    term.keys('Enter');
    term.type('e');
    await term.waitFor(/review: orders\.yaml/);
    const review = await term.waitFor(/Publish the edited orders\.yaml/);
    expect(review).toMatch(/-\s+pool: 40/);
    expect(review).toMatch(/\+\s+pool: 55/);
    term.type('y');
    await term.waitFor(new RegExp(`config set orders\\.yaml --file \\S+ --if-match ${before.token}`));
    const after = opsdeck(box.env, ['config', 'get', 'orders.yaml']).json();
    expect(after.version).toBe(before.version + 1);
    expect(after.content).toBe(before.content.replace('pool: 40', 'pool: 55'));
    term.type(':');
    term.keys('C-d');
    await term.waitFor(/EXITED:0/);
  }, E2E_TIMEOUT);

  it('--demo animates the fleet in a throwaway data dir', async () => {
    const env = { ...box.env };
    startConsole({ OPSDECK_DATA_DIR: '' }, '--demo --refresh 1s');
    await term.waitFor(/demo/);
    await term.waitFor(/gateway/);
    term.keys('Escape');
    await term.waitFor(/ \(pane focus\)/);
    term.type('3');
    // Workers take job locks every few seconds.
    await term.waitFor(/jobs\/report-\d/);
    term.type(':');
    term.keys('C-d');
    await term.waitFor(/EXITED:0/);
    // Nothing was written where the console would otherwise keep its data ($XDG_DATA_HOME/opsdeck).
    delete env.OPSDECK_DATA_DIR;
    expect(opsdeck(env, ['services', 'list']).json().services).toEqual([]);
  }, E2E_TIMEOUT);

  it('metrics: watch opens live charts from a real Prometheus, queries are added and removed, a service opens its queries', async () => {
    const prom = await startPrometheus();
    try {
      const dir = join(box.env.XDG_CONFIG_HOME!, 'opsdeck');
      mkdirSync(dir, { recursive: true });
      // The test exporter's job is "opsdeck-test": a service of that name has real metrics under the label "job".
      writeFileSync(
        join(dir, 'config.yaml'),
        ['profiles:', '  m:', '    registry: {type: embedded}', `    metrics: {type: prometheus, url: "${prom.url}", serviceLabel: job, serviceQueries: ['up{{label}="{service}"}']}`, ''].join('\n'),
      );
      expect(opsdeck(box.env, ['--profile', 'm', 'instances', 'register', 'opsdeck-test', '127.0.0.1:9']).code).toBe(0);
      startConsole({}, '--profile m');
      await term.waitFor(/^m›/m);

      term.type('metrics watch up');
      term.keys('Enter');
      // A braille chart with its legend: the series, its current, min and max.
      const chart = await term.waitFor(/● up\{instance="127\.0\.0\.1:\d+",job="opsdeck-test"\}\s+cur 1\s+min 1\s+max 1/);
      expect(chart).toMatch(/metrics  ·  metrics watch  ·  1 query  ·  every 5s  ·  last 1h  ·  braille/);
      expect(chart).toMatch(/[\u2801-\u28ff]/);
      expect(chart).toMatch(/▶ 1 up  1 series · data \d+(\.\d)?s ago/);

      // Add a query from the pane; it gets its own chart.
      term.type('a');
      await term.waitFor(/add query›/);
      term.type('opsdeck_test_queue_depth');
      term.keys('Enter');
      await term.waitFor(/● opsdeck_test_queue_depth\{instance="[^"]+",job="opsdeck-test",queue="emails"\}\s+cur 7/);
      await term.waitFor(/2 queries/);

      // Remove it again, then go back to the (empty) saved list.
      term.type('d');
      await term.waitFor((s) => /1 query/.test(s) && !/opsdeck_test_queue_depth/.test(s));
      term.keys('Escape');
      await term.waitFor(/saved queries  ·  0 queries/);

      // Cross-view: the service's queries from the profile's template, with the profile's label.
      term.type('1');
      await term.waitFor(/opsdeck-test/);
      term.type('m');
      await term.waitFor(/service opsdeck-test  ·  1 query/);
      await term.waitFor(/1 up\{job="opsdeck-test"\}  1 series/);
      await term.waitFor(/● up\{instance="127\.0\.0\.1:\d+",job="opsdeck-test"\}\s+cur 1/);
      // S keeps them as this profile's saved queries.
      term.type('S');
      await term.waitFor(/saved queries  ·  1 query/);
      const saved = JSON.parse(readFileSync(join(box.env.XDG_STATE_HOME!, 'opsdeck', 'metrics', 'm.json'), 'utf8'));
      expect(saved.queries).toEqual(['up{job="opsdeck-test"}']);

      term.type(':');
      term.keys('C-d');
      await term.waitFor(/EXITED:0/);
    } finally {
      await prom.stop();
    }
  }, E2E_TIMEOUT);

  it('shows a watch\'s events as they arrive, and Ctrl-C ends it', async () => {
    expect(opsdeck(box.env, ['config', 'set', 'live.txt', '--value', 'one']).code).toBe(0);
    startConsole();
    await term.waitFor(/local›/);
    term.type('config watch live.txt');
    term.keys('Enter');
    await term.waitFor(/running config watch live\.txt/);
    expect(opsdeck(box.env, ['config', 'set', 'live.txt', '--value', 'two']).code).toBe(0);
    // The event is on screen while the command is still running.
    await term.waitFor((s) => /update live\.txt version 2/.test(s) && /running config watch/.test(s));
    term.keys('C-c');
    await term.waitFor((s) => !/running config watch/.test(s));
    term.keys('C-d');
    await term.waitFor(/EXITED:0/);
  }, E2E_TIMEOUT);
});
