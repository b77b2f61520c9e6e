import { afterEach, expect, it } from 'vitest';
import { writeProfileFile } from '../helpers/cli.js';
import { startConsoleIn, useConsoleSandbox } from '../helpers/console-term.js';
import { startIstioFake, type IstioFake } from '../servers/istio-fake.js';

/*
 * The console on an Istio profile, in a real terminal (tmux), against the Istio fake (no istiod can
 * run here): the services pane lists the mesh, an instance list shows the stale sidecar's warning,
 * its footer offers no drain, undrain or deregister, and pressing d anyway says the registry is
 * read-only, running nothing.
 */

const ctx = useConsoleSandbox(140, 32);
let fake: IstioFake | undefined;
afterEach(async () => {
  await fake?.stop();
  fake = undefined;
});

it('hides the write keys of a read-only registry and says why when one is pressed', async () => {
  fake = await startIstioFake({ version: '1.24' });
  writeProfileFile(ctx.box.env, `defaultProfile: mesh\nprofiles:\n  mesh:\n    registry: { type: istio, url: "${fake.debugUrl}", namespace: shop }\n`);
  startConsoleIn(ctx.term, ctx.box.env);
  await ctx.term.waitFor(/mesh›/);
  await ctx.term.waitFor(/reviews/);
  ctx.term.keys('Escape');
  await ctx.term.waitFor(/ \(pane focus\)/);
  ctx.term.type('/');
  ctx.term.type('reviews');
  ctx.term.keys('Enter');
  await ctx.term.waitFor((s) => /filter: reviews/.test(s) && /▶ shop\s+reviews\s+3/.test(s));
  // The mesh-wide stale-proxy warning is above the rows, and the status bar carries its ⚠.
  expect(ctx.term.screen()).toMatch(/services ⚠/);
  ctx.term.keys('Enter');
  const screen = await ctx.term.waitFor((s) => /reviews \(namespace shop\)/.test(s) && /10\.244\.1\.19:9080/.test(s));
  expect(screen).toMatch(/10\.244\.1\.19:9080\s+critical\s+enabled\s+UNHEALTHY/);
  expect(screen).toContain('the sidecar of one instance has not acknowledged');
  const footer = screen.trimEnd().split('\n').at(-1)!;
  expect(footer).toMatch(/Esc back/);
  expect(footer).not.toMatch(/drain|deregister/);
  const before = fake.requests.length;
  ctx.term.type('d');
  await ctx.term.waitFor(/registry istio is read-only: it cannot drain instances/);
  // Nothing ran: no command line was echoed, and only pane refreshes (reads) reached istiod.
  expect(ctx.term.screen()).not.toMatch(/› instances drain/);
  expect(fake.requests.slice(before).every((r) => r.method === 'GET')).toBe(true);
}, 180_000);
