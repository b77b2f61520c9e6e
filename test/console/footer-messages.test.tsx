import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { Footer, keysFor } from '../../src/frontends/tui/components/Footer.js';
import { Controller } from '../../src/frontends/tui/controller.js';
import type { KeyEvent } from '../../src/frontends/tui/keys.js';
import { initialState, type ConsoleState } from '../../src/frontends/tui/state.js';
import { Store } from '../../src/frontends/tui/store.js';
import { stubDeps } from '../helpers/controller-stub.js';

const key = (name: string, ctrl = false): KeyEvent => ({ kind: 'key', name, ctrl, meta: false, shift: false }) as KeyEvent;
const chars = (t: string): KeyEvent[] => [...t].map((c) => ({ kind: 'char', text: c }));
const tick = () => new Promise((r) => setTimeout(r, 0));

function footerConsole(production = false) {
  const store = new Store<ConsoleState>(initialState(120, 30, { name: 'prod-eu', production, readOnly: false }, [], false));
  let finish: (() => void) | null = null;
  const c = new Controller(
    stubDeps(store, {
      runLine: async (_line, signal) => {
        // Runs until cancelled, like a watch.
        await new Promise<void>((r) => {
          finish = r;
          signal.addEventListener('abort', () => setTimeout(r, 5));
        });
        return 130;
      },
    }),
  );
  return { store, c, press: (...evs: KeyEvent[]) => evs.forEach((e) => c.handle(e)), finish: () => finish?.() };
}

describe('footer messages', () => {
  it('a message clears on the next key', () => {
    const t = footerConsole();
    t.c.notice('cancelled; nothing was changed');
    t.press(...chars('s'));
    expect(t.store.get().notice).toBeNull();
    expect(t.store.get().line.text).toBe('s');
  });

  it('cancelling… stays while the command winds down and clears when it ends', async () => {
    const t = footerConsole();
    t.press(...chars('config watch a.yaml'), key('enter'));
    await tick();
    t.press(key('c', true));
    expect(t.store.get().notice).toBe('cancelling…');
    t.press(...chars('x'));
    expect(t.store.get().notice).toBe('cancelling…');
    const { lastFrame, unmount } = render(<Footer s={t.store.get()} now={Date.now()} />);
    expect(lastFrame()).toMatch(/running config watch a\.yaml .*·  cancelling…/);
    unmount();
    await new Promise((r) => setTimeout(r, 20));
    expect(t.store.get().running).toBeNull();
    expect(t.store.get().notice).toBeNull();
  });

  it('a typed-name confirmation shows how to answer it, never "y confirm", even while its command runs', () => {
    const t = footerConsole(true);
    void t.c.ask('Deregister 10.0.1.11:8080 from orders?');
    expect(keysFor(t.store.get())).toBe('type prod-eu then Enter to confirm · Esc cancels');
    const running = { ...t.store.get(), running: { line: 'instances deregister orders 10.0.1.11:8080', startedAt: Date.now() } };
    const { lastFrame, unmount } = render(<Footer s={running} now={Date.now()} />);
    expect(lastFrame()).toBe('type prod-eu then Enter to confirm · Esc cancels');
    unmount();
    const plain = footerConsole(false);
    void plain.c.ask('Drain?');
    expect(keysFor(plain.store.get())).toBe('y confirm · n/Enter/Esc cancel');
  });
});
