import { fourLetter, notAllowed, parseCons } from './four-letter.js';
import type { Sessions } from './layouts.js';
import type { ZkOptions } from './options.js';

/** How long one `cons` answer is reused: a listing, or a wait loop inspecting often, asks once. */
const REUSE_MS = 1000;

/**
 * Maps sessions to client addresses with the `cons` four-letter word, asked of every server in
 * the connect string (a session is connected to one of them). Where the server does not allow
 * `cons`, the map is missing and the note says why; nothing fails because of it.
 */
export class SessionDirectory {
  private last: { at: number; value: Promise<Sessions> } | null = null;

  constructor(private readonly o: ZkOptions) {}

  get(): Promise<Sessions> {
    const now = Date.now();
    if (this.last && now - this.last.at < REUSE_MS) return this.last.value;
    const value = this.ask();
    this.last = { at: now, value };
    return value;
  }

  private async ask(): Promise<Sessions> {
    if (!this.o.fourLetterWords) return { bySession: null, note: 'client addresses are off for this profile (fourLetterWords: false)' };
    const answers = await Promise.all(this.o.servers.slice(0, 16).map(async (s) => ({ s, answer: await fourLetter(s.host, s.port, 'cons') })));
    const bySession = new Map<string, { address: string; timeoutMs: number | null }>();
    const problems: string[] = [];
    for (const { s, answer } of answers) {
      const where = `${s.host}:${s.port}`;
      if (answer === null) problems.push(`${where} did not answer cons`);
      else if (notAllowed(answer)) problems.push(`${where} does not allow cons (add it to 4lw.commands.whitelist)`);
      else for (const [k, v] of parseCons(answer)) bySession.set(k, v);
    }
    const note = problems.length > 0 ? `client addresses unknown where ${problems.join('; ')}` : null;
    return { bySession: problems.length === answers.length ? null : bySession, note };
  }
}
