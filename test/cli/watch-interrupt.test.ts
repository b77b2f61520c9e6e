import { afterEach, beforeEach, expect, it } from 'vitest';
import { runFrontEnd } from '../../src/frontends/run-front-end.js';
import type { ProcessOutput } from '../../src/frontends/cli/process-output.js';
import { opsdeck, sandbox } from '../helpers/cli.js';

/**
 * A Ctrl-C that arrives while `config watch` is still starting (finding the config, before the
 * watch listens for the abort) stops it all the same. It used to be lost: the watch then ran until
 * a second Ctrl-C, and the replay test that interrupts a watch hung when its SIGINT came that early.
 * In-process, with the abort already fired, so the moment is not left to the scheduler.
 */
let box: ReturnType<typeof sandbox>;
beforeEach(() => {
  box = sandbox();
});
afterEach(() => box.cleanup());

function captured(): ProcessOutput & { text: { out: string; err: string } } {
  const text = { out: '', err: '' };
  return { text, out: (t) => (text.out += t), err: (t) => (text.err += t), flushed: () => Promise.resolve(), failedWith: undefined };
}

it('config watch started after the Ctrl-C ends at once, exit 130, having printed nothing', async () => {
  expect(opsdeck(box.env, ['config', 'set', 'a.txt', '--value', 'x']).code).toBe(0);
  const abort = new AbortController();
  abort.abort();
  const output = captured();
  const code = await runFrontEnd(['config', 'watch', 'a.txt'], box.env, abort, output, '0.0.0-test');
  expect(code, output.text.err).toBe(130);
  expect(output.text.out).toBe('');
}, 20_000);
