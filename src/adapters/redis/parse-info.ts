/** INFO text → field map ("used_memory" → "1048576"); section headers and blank lines are skipped. */
export function parseInfo(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    if (line === '' || line.startsWith('#')) continue;
    const colon = line.indexOf(':');
    if (colon > 0) out.set(line.slice(0, colon), line.slice(colon + 1));
  }
  return out;
}

/** Total keys over every database of an INFO keyspace section ("db0:keys=3,expires=1,avg_ttl=0"). */
export function keyspaceKeys(text: string): number {
  let total = 0;
  for (const [name, value] of parseInfo(text)) {
    const m = /^db\d+$/.test(name) ? /(?:^|,)keys=(\d+)/.exec(value) : null;
    if (m) total += Number(m[1]);
  }
  return total;
}
