import { render } from 'ink-testing-library';
import { beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/commands/table.js';
import { App } from '../../src/frontends/tui/components/App.js';
import { initialState, type ConsoleState } from '../../src/frontends/tui/state.js';
import { Store } from '../../src/frontends/tui/store.js';
import { complete } from '../../src/shell/completion/complete.js';
import { loadPromql } from '../../src/shell/promql/load.js';
import { lineOf } from '../../src/shell/line-editor.js';
import { fakeData } from '../unit/completion/fixtures.js';

/** The prompt as the console draws it for `line`, with the completion the controller would compute. */
function promptFor(line: string): string {
  const store = new Store<ConsoleState>(initialState(120, 24, { name: 'local', production: false, readOnly: false }, [], false));
  const result = complete(COMMANDS, line, line.length, fakeData().data, 50);
  store.set((s) => ({ ...s, line: lineOf(line), completion: { result, selected: 0, open: false } }));
  const { lastFrame, unmount } = render(<App store={store} />);
  const prompt = lastFrame()!.split('\n').find((l) => l.includes('local›'))!;
  unmount();
  return prompt;
}

beforeAll(async () => {
  await loadPromql();
});

describe('the prompt flags PromQL syntax errors while typing', () => {
  it('shows the first problem after the line', () => {
    expect(promptFor("metrics query 'sum by job (up)'")).toMatch(/local› metrics query 'sum by job \(up\)'\s+✗ invalid PromQL at column 8: unexpected "job"/);
    expect(promptFor("metrics watch up 'x{job=a}'")).toContain('✗ invalid PromQL at column 7');
  });

  it('shows nothing for a valid expression, or one that is only unfinished at the cursor', () => {
    expect(promptFor("metrics query 'sum by (job) (up)'")).not.toContain('✗');
    expect(promptFor("metrics query 'sum(rate(up[5m])")).not.toContain('✗');
    expect(promptFor('services list')).not.toContain('✗');
  });
});
