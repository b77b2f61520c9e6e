import { OpsError } from '../../core/errors.js';
import { snippetOf } from './snippet.js';

type Obj = Record<string, unknown>;

/**
 * Shape checks for what a server answered, at the adapter's edge: a body of the wrong shape (a proxy,
 * another service, a broken build) becomes one 'bad-answer' error (exit 3) naming the server and
 * the path of the first wrong part, instead of a crash deeper in or a silently empty listing.
 * Hand-written on purpose: a schema library would cost start-up time for a few fields per answer.
 *
 * Paths read like the JSON they describe: `kvs[3].key`, `data.activeTargets`; "" is the whole answer.
 */
export class AnswerShape {
  /** `where` names the server and the request ("etcd at http://h:2379 (/v3/kv/range)"). */
  constructor(
    readonly where: string,
    readonly hint: string,
  ) {}

  fail(path: string, wanted: string, got: unknown): OpsError {
    return new OpsError('bad-answer', `${this.where} sent an answer of the wrong shape: ${path === '' ? 'the answer' : path} is ${describe(got)}, expected ${wanted}`, this.hint);
  }

  object(v: unknown, path = ''): Obj {
    if (!isObject(v)) throw this.fail(path, 'an object', v);
    return v;
  }

  array(v: unknown, path = ''): unknown[] {
    if (!Array.isArray(v)) throw this.fail(path, 'a list', v);
    return v;
  }

  /** A list whose every item passes `check` (which may throw with the item's path). */
  arrayOf<T>(v: unknown, path: string, check: (item: unknown, path: string) => T): T[] {
    return this.array(v, path).map((item, i) => check(item, `${path}[${i}]`));
  }

  string(v: unknown, path = ''): string {
    if (typeof v !== 'string') throw this.fail(path, 'a string', v);
    return v;
  }

  // Field readers: `parent` is the path of `obj`, so messages name the field in full. An `opt`
  // reader takes an absent field as absent and checks a present one like its plain twin.

  str(obj: Obj, key: string, parent = ''): string {
    return this.string(obj[key], at(parent, key));
  }

  optStr(obj: Obj, key: string, parent = ''): string | undefined {
    return obj[key] === undefined ? undefined : this.str(obj, key, parent);
  }

  optBool(obj: Obj, key: string, parent = ''): boolean | undefined {
    const v = obj[key];
    if (v !== undefined && typeof v !== 'boolean') throw this.fail(at(parent, key), 'true or false', v);
    return v;
  }

  obj(obj: Obj, key: string, parent = ''): Obj {
    return this.object(obj[key], at(parent, key));
  }

  optObj(obj: Obj, key: string, parent = ''): Obj | undefined {
    return obj[key] === undefined ? undefined : this.obj(obj, key, parent);
  }

  arr(obj: Obj, key: string, parent = ''): unknown[] {
    return this.array(obj[key], at(parent, key));
  }

  /** An absent list is an empty one (JSON encoders leave out empty lists); anything else must be a list. */
  optArr(obj: Obj, key: string, parent = ''): unknown[] {
    return obj[key] === undefined ? [] : this.arr(obj, key, parent);
  }

  /**
   * A whole number written as decimal text, as 64-bit integers travel in JSON (protobuf's JSON
   * mapping); a plain JSON integer is accepted too. Returned as text, so no digit is lost.
   */
  decimal(obj: Obj, key: string, parent = ''): string {
    const raw = obj[key];
    const v = typeof raw === 'number' && Number.isSafeInteger(raw) ? String(raw) : raw;
    if (typeof v !== 'string' || !/^-?\d{1,20}$/.test(v)) throw this.fail(at(parent, key), 'a whole number', raw);
    return v;
  }

  optDecimal(obj: Obj, key: string, parent = ''): string | undefined {
    return obj[key] === undefined ? undefined : this.decimal(obj, key, parent);
  }
}

function at(parent: string, key: string): string {
  return parent === '' ? key : `${parent}.${key}`;
}

export function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** What a wrong value is, in a few words a reader can match against the server's output. */
function describe(v: unknown): string {
  if (v === undefined) return 'missing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return `a list of ${v.length}`;
  if (v === '') return 'an empty string';
  if (typeof v === 'string') return `the string "${snippetOf(v, 40)}"`;
  if (typeof v === 'object') return 'an object';
  return `${typeof v === 'number' ? 'the number' : typeof v === 'boolean' ? 'the value' : typeof v} ${String(v)}`;
}
