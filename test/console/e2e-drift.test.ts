import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { opsdeckAsync, sandbox, writeProfileFile } from '../helpers/cli.js';
import { startConsoleIn } from '../helpers/console-term.js';
import { eurekaRegister } from '../helpers/drift-fleet.js';
import { Tmux } from '../helpers/tmux.js';
import { eurekaAppName, sharedEureka } from '../servers/eureka-server.js';
import { sharedZooKeeper } from '../servers/zookeeper-server.js';
import { startPrometheus, type PrometheusServer } from '../servers/prometheus-server.js';
import { startScrapeTargets, type ScrapeTargets } from '../servers/scrape-targets.js';

/**
 * The console's drift view in a real terminal: one profile with several registries side by side
 * (the embedded one, a real Eureka and a real ZooKeeper) in pane 1, joined with a real Prometheus. Each registry of the profile
 * is one entry of REGISTRIES: its profile entry and how an instance is put into it, so another
 * registry (ZooKeeper, etcd, …) joins the profile by adding an entry; the drift it adds shows up
 * in the same view, under the same filter.
 */

interface RegistryUnderTest {
  /** The backend column's name. */
  name: string;
  /** Its entry in the profile's `registry:` list, as YAML flow. */
  entry(): string;
  register(service: string, address: string): Promise<void>;
  /** Whether the registry says an instance is passing (ZooKeeper's persistent nodes carry no health: `unknown`). */
  marksHealth: boolean;
}

let box: ReturnType<typeof sandbox>;
let prom: PrometheusServer;
let targets: ScrapeTargets;
let registries: RegistryUnderTest[];
const ORDERS = eurekaAppName('e2e-drift-orders').toLowerCase();
const CART = eurekaAppName('e2e-drift-cart').toLowerCase();
let UP: string, DOWN: string;

async function registriesUnderTest(): Promise<RegistryUnderTest[]> {
  const [eureka, zk] = await Promise.all([sharedEureka(), sharedZooKeeper()]);
  // A root of this test's own on the run's shared ZooKeeper: no other test's services show here.
  const zkRoot = `/e2e-drift-${Math.random().toString(36).slice(2, 8)}`;
  return [
    {
      name: 'embedded',
      entry: () => '{type: embedded}',
      register: async (service, address) => {
        const r = await opsdeckAsync(box.env, ['--profile', 'd', 'instances', 'register', service, address, '--backend', 'embedded']);
        expect(r.code, r.stderr).toBe(0);
      },
      marksHealth: true,
    },
    {
      name: 'eureka',
      entry: () => `{type: eureka, url: "${eureka.url}", selfPreservation: false}`,
      register: (service, address) => eurekaRegister(eureka.url, service, address, 600),
      marksHealth: true,
    },
    {
      name: 'zookeeper',
      entry: () => `{type: zookeeper, connect: "${zk.connect}", servicesRoot: "${zkRoot}", dubboRoot: "${zkRoot}-dubbo"}`,
      register: async (service, address) => {
        const r = await opsdeckAsync(box.env, ['--profile', 'd', 'instances', 'register', service, address, '--backend', 'zookeeper']);
        expect(r.code, r.stderr).toBe(0);
      },
      marksHealth: false,
    },
  ];
}

beforeAll(async () => {
  box = sandbox();
  [registries, targets] = await Promise.all([registriesUnderTest(), startScrapeTargets([200, 500])]);
  [UP, DOWN] = targets.addresses as [string, string];
  prom = await startPrometheus({ jobs: [{ job: ORDERS, targets: [UP, DOWN] }] });
  writeProfileFile(
    box.env,
    ['profiles:', '  d:', `    registry: [${registries.map((r) => r.entry()).join(', ')}]`, `    metrics: {type: prometheus, url: "${prom.url}", drift: {upQuery: 'up{job!="opsdeck-test"}'}}`, ''].join('\n'),
  );
  // orders is in every registry, at both addresses (one of which fails its scrape); cart only in the first.
  for (const r of registries) for (const address of [UP, DOWN]) await r.register(ORDERS, address);
  await registries[0]!.register(CART, UP);
}, 300_000);

afterAll(async () => {
  await prom?.stop();
  targets?.stop();
  box?.cleanup();
});

describe('the drift view in a real terminal', () => {
  it('D on the services pane opens it; the filter, Enter and Esc work on it; services drift at the prompt opens it narrowed', async () => {
    const term = new Tmux(160, 40);
    try {
      startConsoleIn(term, box.env, '--profile d');
      await term.waitFor(/d›/);
      // Pane 1 lists the service once per registry, side by side, each row naming its registry in
      // the BACKEND column (filtered to this test's service: the shared Eureka holds other tests' too).
      await term.waitFor((s) => /BACKEND/.test(s));
      term.keys('Escape');
      // Wait for the pane's keys: an Escape followed at once by a key would read as Alt plus it.
      await term.waitFor(/j\/k move/);
      term.type('/');
      term.type(ORDERS);
      term.keys('Enter');
      const rowOf = (name: string) => new RegExp(`^\\S*\\s*${name}\\s+.*${ORDERS}\\s`, 'im');
      const side = await term.waitFor((s) => registries.every((r) => rowOf(r.name).test(s)), 90_000);
      for (const r of registries) expect(side).toMatch(rowOf(r.name));
      // Esc clears the filter; the pane's keys are back.
      term.keys('Escape');
      // The status line without a filter ("1/8 · data …") is drawn only once Esc was taken; a
      // frame caught half drawn also lacks the filter, and a D typed then, within the 30 ms after
      // ESC, would read as Alt-D.
      await term.waitFor((s) => !new RegExp(`filter: ${ORDERS}`).test(s) && /services in every namespace\s+·\s+\d+\/\d+\s+·\s+data /.test(s) && /j\/k move/.test(s));
      term.type('D');
      await term.waitFor(/drift/);
      await term.waitFor(/KIND\s+SERVICE\s+INSTANCE\s+SOURCES\s+WHAT THEY SAY/);
      // The shared Eureka holds other tests' applications too: narrow to this test's services.
      term.type('/');
      term.type(ORDERS);
      term.keys('Enter');
      const orders = await term.waitFor(new RegExp(`healthy-but-down\\s+${ORDERS}`));
      // Every registry that marks the failing instance healthy has a row naming it and Prometheus
      // (Eureka spells the service in capitals).
      for (const r of registries.filter((x) => x.marksHealth)) expect(orders).toMatch(new RegExp(`healthy-but-down\\s+${ORDERS}\\s+${DOWN.replace(/\./g, '\\.')}\\s+${r.name} vs prometheus`, 'i'));
      expect(orders).not.toMatch(new RegExp(`${UP.replace(/\./g, '\\.')}\\s`));

      // Enter explains the row in a sentence, with what each source says.
      term.keys('Enter');
      const detail = await term.waitFor(/so clients are sent to it, but its scrape fails \(up == 0\)/);
      expect(detail).toMatch(new RegExp(`prometheus\\s+up == 0 \\(job ${ORDERS}\\)`));
      term.keys('Escape');
      await term.waitFor((s) => !/so clients are sent to it/.test(s));

      // Esc clears the filter, then goes back to the services list.
      term.keys('Escape');
      await term.waitFor((s) => /KIND\s+SERVICE/.test(s) === false && s.includes(ORDERS));

      // At the prompt, services drift opens the view on one service.
      term.type(':');
      term.type(`services drift --service ${CART}`);
      term.keys('Enter');
      const cart = await term.waitFor((s) => s.includes(`drift (service ${CART})`) && new RegExp(`service-missing\\s+${CART}`).test(s));
      expect(cart).toMatch(new RegExp(`service-missing\\s+${CART}\\s+-\\s+${registries.map((r) => r.name).join(' vs ')}`));
      expect(cart).toContain('opened the drift view');
    } finally {
      term.kill();
    }
  }, 180_000);
});
