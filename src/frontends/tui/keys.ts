/** One decoded keystroke, or a whole bracketed paste. */
export type KeyEvent =
  | { kind: 'char'; text: string }
  | { kind: 'paste'; text: string }
  | { kind: 'key'; name: KeyName; ctrl: boolean; meta: boolean; shift: boolean };

export type KeyName =
  | 'enter' | 'tab' | 'backspace' | 'delete' | 'escape'
  | 'up' | 'down' | 'left' | 'right' | 'home' | 'end' | 'pageup' | 'pagedown'
  /** The mouse wheel, reported only when the console asked for mouse events (OPSDECK_MOUSE=1). */
  | 'wheelup' | 'wheeldown'
  | '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9'
  | 'a' | 'b' | 'c' | 'd' | 'e' | 'f' | 'g' | 'h' | 'i' | 'j' | 'k' | 'l' | 'm' | 'n' | 'o' | 'p' | 'q' | 'r' | 's' | 't' | 'u' | 'v' | 'w' | 'x' | 'y' | 'z';

const PASTE_START = '\x1b[200~';
const PASTE_END = '\x1b[201~';

const CSI: Record<string, KeyName> = {
  A: 'up', B: 'down', C: 'right', D: 'left', H: 'home', F: 'end',
  '1~': 'home', '7~': 'home', '4~': 'end', '8~': 'end', '3~': 'delete', '5~': 'pageup', '6~': 'pagedown', Z: 'tab',
};

/**
 * Turns raw terminal input into key events. It keeps state between chunks because a paste, an
 * escape sequence or a UTF-8 character can arrive split across reads; a pasted block is delivered
 * whole, so a multi-line paste never fires Enter line by line.
 */
export class KeyParser {
  private pending = '';
  private pasting: string | null = null;

  feed(chunk: string): KeyEvent[] {
    let s = this.pending + chunk;
    this.pending = '';
    const out: KeyEvent[] = [];
    while (s.length > 0) {
      if (this.pasting !== null) {
        const end = s.indexOf(PASTE_END);
        if (end < 0) {
          // Keep a possible partial end marker for the next chunk.
          const keep = partialSuffix(s, PASTE_END);
          this.pasting += s.slice(0, s.length - keep);
          this.pending = s.slice(s.length - keep);
          return out;
        }
        out.push({ kind: 'paste', text: (this.pasting + s.slice(0, end)).replace(/\r\n?/g, '\n') });
        this.pasting = null;
        s = s.slice(end + PASTE_END.length);
        continue;
      }
      if (s.startsWith(PASTE_START)) {
        this.pasting = '';
        s = s.slice(PASTE_START.length);
        continue;
      }
      const c = s[0]!;
      if (c === '\x1b') {
        const parsed = parseEscape(s);
        if (parsed === 'incomplete') {
          this.pending = s;
          return out;
        }
        out.push(parsed.event);
        s = s.slice(parsed.length);
        continue;
      }
      out.push(controlOrChar(c));
      s = s.slice(c.length);
    }
    return out;
  }

  /** A lone ESC that waited long enough is the Escape key, not the start of a sequence. */
  flush(): KeyEvent[] {
    if (this.pending === '\x1b') {
      this.pending = '';
      return [key('escape')];
    }
    return [];
  }
}

function controlOrChar(c: string): KeyEvent {
  const code = c.charCodeAt(0);
  if (c === '\r' || c === '\n') return key('enter');
  if (c === '\t') return key('tab');
  if (c === '\x7f' || c === '\b') return key('backspace');
  if (code >= 1 && code <= 26) return { kind: 'key', name: String.fromCharCode(96 + code) as KeyName, ctrl: true, meta: false, shift: false };
  return { kind: 'char', text: c };
}

function parseEscape(s: string): 'incomplete' | { event: KeyEvent; length: number } {
  if (s.length === 1) return 'incomplete';
  const second = s[1]!;
  if (second === '[' && s[2] === '<') {
    // An SGR mouse report: ESC [ < button ; column ; row M|m. Only the wheel means something here.
    const mouse = /^\x1b\[<(\d+);\d+;\d+[Mm]/.exec(s);
    if (!mouse) return /^\x1b\[<[0-9;]*$/.test(s) ? 'incomplete' : { event: key('escape'), length: 1 };
    const button = Number(mouse[1]);
    const wheel = button & 64 ? ((button & 1) === 0 ? 'wheelup' : 'wheeldown') : null;
    return { event: wheel ? key(wheel) : { kind: 'char', text: '' }, length: mouse[0].length };
  }
  if (second === '[' || second === 'O') {
    const m = /^\x1b[[O]([0-9;]*)([A-Za-z~])/.exec(s);
    if (!m) return /^\x1b[[O][0-9;]*$/.test(s) ? 'incomplete' : { event: key('escape'), length: 1 };
    const params = m[1]!;
    const final = m[2]!;
    const mods = params.includes(';') ? Number(params.split(';')[1]) - 1 : 0;
    const id = final === '~' ? `${params.split(';')[0]}~` : final;
    const name = CSI[id];
    if (!name) return { event: { kind: 'char', text: '' }, length: m[0].length };
    return { event: { kind: 'key', name, ctrl: (mods & 4) !== 0, meta: (mods & 2) !== 0, shift: final === 'Z' || (mods & 1) !== 0 }, length: m[0].length };
  }
  if (second === '\x7f') return { event: { kind: 'key', name: 'backspace', ctrl: false, meta: true, shift: false }, length: 2 };
  if (second === '\x1b') return { event: key('escape'), length: 1 };
  // Alt+letter (or digit) arrives as ESC followed by the character.
  if (/[a-z0-9]/i.test(second)) return { event: { kind: 'key', name: second.toLowerCase() as KeyName, ctrl: false, meta: true, shift: second !== second.toLowerCase() }, length: 2 };
  return { event: key('escape'), length: 1 };
}

function key(name: KeyName): KeyEvent {
  return { kind: 'key', name, ctrl: false, meta: false, shift: false };
}

function partialSuffix(s: string, marker: string): number {
  for (let n = Math.min(marker.length - 1, s.length); n > 0; n--) if (s.endsWith(marker.slice(0, n))) return n;
  return 0;
}
