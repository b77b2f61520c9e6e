import { describe, expect, it } from 'vitest';
import { GLOBAL_OPTION_SPECS as GLOBAL_OPTIONS } from '../../../src/commands/global-options.js';
import { OUTPUT_FORMATS } from '../../../src/render/output.js';
import { readWord, scanLine } from '../../../src/shell/completion/scan-line.js';
import { tokenize } from '../../../src/shell/tokenize.js';

describe('scanLine', () => {
  it('splits like tokenize and keeps each word span', () => {
    const line = `config set  'my file' --value "a \\"b\\"" x\\ y`;
    const { words } = scanLine(line);
    expect(words.map((w) => w.text)).toEqual(tokenize(line, () => undefined));
    expect(words.map((w) => line.slice(w.start, w.end))).toEqual(['config', 'set', "'my file'", '--value', '"a \\"b\\""', 'x\\ y']);
  });

  it('tolerates an unclosed quote, reporting it open', () => {
    const { words } = scanLine('config get "my co');
    expect(words[2]).toEqual({ start: 11, end: 17, text: 'my co', open: '"' });
  });

  it('keeps ${VAR} as typed and stops at a comment', () => {
    expect(scanLine('a ${X} # b c')).toEqual({ words: [{ start: 0, end: 1, text: 'a', open: '' }, { start: 2, end: 6, text: '${X}', open: '' }], commentAt: 7 });
  });

  it('reads a word only up to a stop position', () => {
    expect(readWord("'ab cd'", 0, 4)).toEqual({ start: 0, end: 4, text: 'ab ', open: "'" });
  });
});

describe('GLOBAL_OPTIONS', () => {
  it('reads every global flag, with the output formats as choices of --output', () => {
    expect(GLOBAL_OPTIONS.map((o) => o.name)).toEqual(['profile', 'config', 'data-dir', 'output', 'no-color', 'yes', 'debug']);
    expect(GLOBAL_OPTIONS.find((o) => o.name === 'output')).toMatchObject({ short: 'o', value: 'format', choices: OUTPUT_FORMATS });
    expect(GLOBAL_OPTIONS.find((o) => o.name === 'yes')!.value).toBeUndefined();
  });
});
