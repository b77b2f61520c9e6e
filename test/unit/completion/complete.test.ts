import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../src/commands/table.js';
import { complete } from '../../../src/shell/completion/complete.js';
import { fakeData } from './fixtures.js';

const { data, want } = fakeData();

/** Completes with the cursor at the end of the line, or where `|` marks it. */
function at(marked: string, limit?: number) {
  const cursor = marked.includes('|') ? marked.indexOf('|') : marked.length;
  return complete(COMMANDS, marked.replace('|', ''), cursor, data, limit);
}
const values = (marked: string, limit?: number) => at(marked, limit).items.map((i) => i.value);
const summaryOf = (path: string) => COMMANDS.find((c) => c.path.join(' ') === path)!.summary;

describe('complete: command words', () => {
  it('lists every first word alphabetically on an empty line', () => {
    const r = at('');
    expect(r.items.map((i) => i.value)).toEqual(['bench', 'cache', 'completion', 'config', 'demo', 'help', 'instances', 'locks', 'metrics', 'namespaces', 'profile', 'services', 'status', 'tx', 'version']);
    expect(r.items.every((i) => i.kind === 'command')).toBe(true);
    expect(r).toMatchObject({ from: 0, to: 0, hint: '' });
  });

  it('a command that is also a group (bench URL, bench service NAME) offers its subcommands, and a subcommand completes its own arguments', () => {
    expect(values('bench ')).toContain('service');
    expect(values('bench service ')).toContain('orders-api');
    // A URL is bench's own argument: nothing to complete there.
    expect(values('bench http://localhost:8080/ ')).not.toContain('orders-api');
  });

  it('describes a single-word command by its summary and a noun by its verbs', () => {
    const items = at('').items;
    expect(items.find((i) => i.value === 'status')!.description).toBe(summaryOf('status'));
    expect(items.find((i) => i.value === 'locks')!.description).toBe('list, show, acquire, release');
  });

  it('completes a partial first word, with the hint and the span of the word', () => {
    const r = at('inst');
    expect(r.items[0]).toMatchObject({ value: 'instances', kind: 'command' });
    expect(r).toMatchObject({ from: 0, to: 4, hint: 'ances' });
  });

  it('completes the verbs of a noun as the second word', () => {
    expect(values('locks ')).toEqual(['acquire', 'list', 'release', 'show']);
    const r = at('locks ac');
    expect(r.items).toEqual([{ value: 'acquire', description: summaryOf('locks acquire'), kind: 'command' }]);
    expect(r).toMatchObject({ from: 6, to: 8, hint: 'quire' });
  });

  it('offers the next level after a complete word and a space', () => {
    expect(values('config ')).toContain('rollback');
    expect(at('config ').from).toBe(7);
  });

  it('offers nothing after an unknown command or an unknown verb', () => {
    expect(values('frobnicate ')).toEqual([]);
    expect(values('services frob ')).toEqual([]);
    expect(values('frobnicate --')).toEqual([]);
  });

  it('completes command words for help, level by level', () => {
    expect(values('help ')).toEqual(values(''));
    expect(values('help locks ')).toEqual(['acquire', 'list', 'release', 'show']);
    expect(values('help locks re')).toEqual(['release', 'acquire']);
    expect(values('help locks acquire ')).toEqual([]);
  });
});

describe('complete: positional arguments from live data', () => {
  it('completes services, ranked: prefix, then word boundary, then substring', () => {
    const r = at('services show ord');
    expect(r.items.map((i) => i.value)).toEqual(['order', 'orders-api', 'orders-worker', 'shipping-orders-sync', 'reorder-svc']);
    expect(r.items[0]).toEqual({ value: 'order', description: 'service', kind: 'value' });
    expect(r).toMatchObject({ from: 14, to: 17, hint: 'er' });
  });

  it('completes config ids and lock names with their labels', () => {
    expect(at('config get pay').items[0]).toEqual({ value: 'payments.yaml', description: 'config', kind: 'value' });
    expect(at('config history ').items.map((i) => i.value)).toEqual(['feature.flags', "it's.json", 'my config.yaml', 'orders.yaml', 'payments.yaml']);
    expect(at('locks release dep').items[0]).toEqual({ value: 'deploy/orders', description: 'lock', kind: 'value' });
    expect(values('locks show ')).toEqual(['billing/nightly-settlement', 'deploy/orders', 'inventory/reindex']);
  });

  it('completes profile names for profile show', () => {
    expect(at('profile show st').items).toEqual([{ value: 'staging', description: 'profile', kind: 'value' }]);
  });

  it("completes an instance of the service named by the command's service argument", () => {
    const r = at('instances drain orders-api 10.0.0');
    // Prefix matches first; 10.0.1.7:9090 still has the letters of "10.0.0" in order.
    expect(r.items.map((i) => i.value)).toEqual(['10.0.0.5:8080', '10.0.0.6:8080', '10.0.1.7:9090']);
    expect(r.items[0]!.description).toBe('10.0.0.5:8080');
  });

  it('offers the instances of the scope on the line, wherever its flags are, as ids described by their address', () => {
    const staging = [{ value: '10.2.0.9#8080#DEFAULT#DEFAULT_GROUP@@orders-api', description: '10.2.0.9:8080', kind: 'value' }];
    expect(at('instances drain orders-api | --namespace staging').items).toEqual(staging);
    expect(at('instances drain --namespace=staging orders-api ').items).toEqual(staging);
    // Without --namespace the command addresses the registry's default scope: not staging's instances.
    expect(values('instances drain orders-api ')).not.toContain(staging[0]!.value);
  });

  it('asks the cache for instances it does not have, with the scope and backend on the line, and offers none this time', () => {
    want.mockClear();
    expect(values('instances deregister payments-gateway ')).toEqual([]);
    expect(want).toHaveBeenCalledExactlyOnceWith({ kind: 'instances', service: 'payments-gateway', scope: {} });
    want.mockClear();
    expect(values('instances deregister --backend nacos payments-gateway --group G ')).toEqual([]);
    expect(want).toHaveBeenCalledExactlyOnceWith({ kind: 'instances', service: 'payments-gateway', scope: { group: 'G' }, backend: 'nacos' });
  });

  it('does not ask for instances that are cached', () => {
    want.mockClear();
    at('instances undrain orders-api ');
    expect(want).not.toHaveBeenCalled();
  });

  it('completes the service before the instance', () => {
    expect(values('instances heartbeat pay')).toEqual(['payments-gateway', 'payments-refund-api']);
  });

  it('offers nothing past the last argument or for an argument without a source', () => {
    expect(values('services show orders-api ')).toEqual([]);
    expect(values('locks list ')).toEqual([]);
    expect(values('version ')).toEqual([]);
  });

  it('finds letters in order when nothing better matches (fuzzy)', () => {
    expect(values('services show pmtgw')).toEqual(['payments-gateway']);
    expect(values('services show zzz')).toEqual([]);
    expect(at('services show zzz').hint).toBe('');
  });
});

describe('complete: flags', () => {
  it("lists the command's own flags first, then the global ones, after --", () => {
    expect(values('config set a --')).toEqual([
      '--backend', '--beta-ips', '--datacenter', '--file', '--group', '--if-match', '--if-md5', '--namespace', '--prefix', '--type', '--value',
      '--config', '--data-dir', '--debug', '--no-color', '--output', '--profile', '--yes',
    ]);
  });

  it('offers a scope flag only where a backend of the profile has its kind', () => {
    const flat = { ...data, scopeKinds: () => new Set<never>() };
    const grouped = { ...data, scopeKinds: () => new Set(['group' as const]) };
    const flags = (d: typeof data, line: string) => complete(COMMANDS, line, line.length, d).items.map((i) => i.value);
    expect(flags(flat, 'services show orders --')).not.toContain('--namespace');
    expect(flags(flat, 'services show orders --')).not.toContain('--group');
    expect(flags(grouped, 'services show orders --')).toContain('--group');
    expect(flags(grouped, 'services show orders --')).not.toContain('--namespace');
    // Unknown yet (nothing loaded): every flag is offered.
    expect(flags(data, 'services show orders --')).toContain('--namespace');
  });

  it('matches flag names without their dashes, with the hint completing the word', () => {
    const r = at('config set a --ty');
    expect(r.items[0]).toEqual({ value: '--type', description: 'content type (default: kept, or guessed from the data id)', kind: 'flag' });
    expect(r).toMatchObject({ from: 13, to: 17, hint: 'pe' });
  });

  it('offers a lone - as the start of a flag, with no hint until a letter is typed', () => {
    expect(values('locks release x -')).toContain('--force');
    expect(at('locks release x -').hint).toBe('');
    expect(at('config set a --').hint).toBe('');
    expect(at('locks release x --f').hint).toBe('orce');
  });

  it('does not offer a non-repeatable flag already on the line, before or after the cursor', () => {
    expect(values('config set a --type yaml --')).not.toContain('--type');
    expect(values('config set a -o json --')).not.toContain('--output');
    expect(values('config set a --| --yes')).not.toContain('--yes');
    expect(values('config set a --| --yes')).toContain('--type');
  });

  it('still offers a repeatable flag', () => {
    expect(values('instances register s 1.2.3.4:80 --meta a=b --me')).toEqual(['--meta', '--ephemeral', '--namespace']);
  });

  it('offers only global flags before the command', () => {
    expect(values('--')).toEqual(['--config', '--data-dir', '--debug', '--no-color', '--output', '--profile', '--yes']);
  });
});

describe('complete: flag values', () => {
  it('completes -o / --output with the output formats', () => {
    expect(values('services list -o ')).toEqual(['json', 'table', 'yaml']);
    expect(values('services list --output y')).toEqual(['yaml']);
    expect(at('services list --output ').items[0]!.description).toBe('format');
  });

  it('completes the value after --name= in place of the text after "="', () => {
    const r = at('services list --output=j');
    expect(r.items.map((i) => i.value)).toEqual(['json']);
    expect(r).toMatchObject({ from: 23, to: 24, hint: 'son' });
  });

  it('completes choices of a command option', () => {
    const r = at('config set a --type ');
    expect(r.items.map((i) => i.value)).toEqual(['html', 'json', 'properties', 'text', 'toml', 'xml', 'yaml']);
    expect(r.items[0]!.description).toBe('type');
  });

  it('completes profiles, namespaces and groups from their sources', () => {
    expect(values('--profile ')).toEqual(['dev', 'prod', 'staging']);
    expect(values('services list --namespace pay')).toEqual(['payments-ns']);
    expect(at('config list --group b').items).toEqual([{ value: 'BATCH', description: 'group', kind: 'value' }]);
  });

  it('completes the value of a flag even when it looks like a flag', () => {
    expect(values('services list --profile --')).toEqual([]);
    expect(values('services list --profile -')).toEqual([]);
  });

  it('offers nothing for a free-text value', () => {
    expect(values('locks acquire x --owner ')).toEqual([]);
    expect(values('config set a --value ')).toEqual([]);
  });

  it('skips global flags and their values when finding the command', () => {
    expect(values('--profile prod serv')).toEqual(['services']);
    expect(values('--debug locks show d')).toEqual(['deploy/orders', 'inventory/reindex']);
    expect(values('services show --yes ord')).toContain('orders-api');
  });

  it('treats words after -- as arguments, not flags', () => {
    const r = at('services show -- -');
    expect(r.items.length).toBeGreaterThan(0);
    expect(r.items.every((i) => i.kind === 'value' && i.value.includes('-'))).toBe(true);
    expect(values('services show -- o')).toContain('order');
  });
});

describe('complete: cursor, quoting and comments', () => {
  it('uses only the text before the cursor when it is inside the line', () => {
    const r = at('services show ord| --yes');
    expect(r.items[0]!.value).toBe('order');
    expect(r).toMatchObject({ from: 14, to: 17, hint: 'er' });
  });

  it('replaces the whole word under the cursor but matches what precedes the cursor, without a hint', () => {
    const r = at('services show ord|ers-api');
    expect(r.items[0]!.value).toBe('order');
    expect(r).toMatchObject({ from: 14, to: 24, hint: '' });
  });

  it('completes a new word when the cursor is at the start of an existing one', () => {
    const r = at('services |show');
    expect(r.items.map((i) => i.value)).toEqual(['drift', 'list', 'show']);
    expect(r).toMatchObject({ from: 9, to: 9 });
  });

  it('completes the command word when the cursor is back in it', () => {
    expect(at('lo| show x').items[0]!.value).toBe('locks');
  });

  it('matches the unquoted text of a quoted partial word, replacing from the quote', () => {
    const r = at('config get "my co');
    expect(r.items.map((i) => i.value)).toEqual(['my config.yaml']);
    expect(r).toMatchObject({ from: 11, to: 17, hint: 'nfig.yaml' });
    expect(at("config get 'it").items[0]!.value).toBe("it's.json");
    expect(at('config get my\\ co').items[0]!.value).toBe('my config.yaml');
  });

  it('gives no hint that could not be typed as is in the current quoting', () => {
    expect(at('config get my').items[0]!.value).toBe('my config.yaml');
    expect(at('config get my').hint).toBe('');
    expect(at("config get 'it").hint).toBe('');
    expect(at('config get "it').hint).toBe("'s.json");
  });

  it('counts a quoted word as one argument', () => {
    expect(values("config get 'my config.yaml' ")).toEqual([]);
    expect(values('instances drain "orders-api" 10.0.1')).toEqual(['10.0.1.7:9090']);
  });

  it('offers nothing inside a comment', () => {
    expect(values('services show # ord')).toEqual([]);
    expect(values('# serv')).toEqual([]);
  });

  it('clamps a cursor beyond the line', () => {
    expect(complete(COMMANDS, 'inst', 99, data).items[0]!.value).toBe('instances');
  });
});

describe('complete: hint and limit', () => {
  it('hints only a case-exact extension of a non-empty word', () => {
    expect(at('ORD').hint).toBe('');
    expect(at('services show ORD').items[0]!.value).toBe('order');
    expect(at('services show ORD').hint).toBe('');
    expect(at('services show ').hint).toBe('');
    expect(at('services show order').hint).toBe('');
  });

  it('returns at most limit items, best first', () => {
    expect(values('services show ', 3)).toEqual(['inventory', 'order', 'orders-api']);
    expect(values('services show ord', 2)).toEqual(['order', 'orders-api']);
    expect(values('', 2)).toEqual(['bench', 'cache']);
    expect(at('services show ord', 0)).toMatchObject({ items: [], hint: '' });
  });

  it('defaults to 50 items', () => {
    const many = fakeData({ services: Array.from({ length: 120 }, (_, i) => `svc-${String(i).padStart(3, '0')}`) });
    const r = complete(COMMANDS, 'services show svc', 17, many.data);
    expect(r.items).toHaveLength(50);
    expect(r.items[49]!.value).toBe('svc-049');
  });

  it('sees a refreshed list at once (a new array is a new index)', () => {
    const lists = { services: ['alpha-api'] };
    const d = { ...data, services: () => lists.services };
    expect(complete(COMMANDS, 'services show a', 15, d).items.map((i) => i.value)).toEqual(['alpha-api']);
    lists.services = ['alpha-api', 'alpha-worker'];
    expect(complete(COMMANDS, 'services show a', 15, d).items.map((i) => i.value)).toEqual(['alpha-api', 'alpha-worker']);
  });
});

describe('completion while live names load', () => {
  it('is "loading" for a live list that has not arrived, and for instances not fetched yet; never for fixed words', async () => {
    const { COMMANDS } = await import('../../../src/commands/table.js');
    const { complete } = await import('../../../src/shell/completion/complete.js');
    const base = { services: () => [], instances: () => undefined, configIds: () => [], locks: () => [], profiles: () => ['dev'], namespaces: () => [], groups: () => [] };
    const at = (line: string, ready: boolean) => complete(COMMANDS, line, line.length, { ...base, ready: () => ready }, 50);
    expect(at('services show o', false).loading).toBe(true);
    expect(at('services show o', true).loading).toBeUndefined();
    expect(at('instances drain orders ', true).loading).toBe(true);
    expect(at('serv', false).loading).toBeUndefined();
    expect(at('services list --', false).loading).toBeUndefined();
  });
});
