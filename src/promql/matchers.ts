import type { LabelMatcher } from '../core/series-source.js';
import { re2ToRegExp } from './regex.js';

/** A label matcher as a predicate on the label's value ('' when the series lacks the label). */
export type ValueTest = (value: string) => boolean;

const cache = new Map<string, ValueTest>();

export function compileMatcher(m: LabelMatcher): ValueTest {
  const key = `${m.type}\u0000${m.value}`;
  let test = cache.get(key);
  if (test) return test;
  switch (m.type) {
    case '=':
      test = (v) => v === m.value;
      break;
    case '!=':
      test = (v) => v !== m.value;
      break;
    case '=~': {
      const re = re2ToRegExp(m.value);
      test = (v) => re.test(v);
      break;
    }
    case '!~': {
      const re = re2ToRegExp(m.value);
      test = (v) => !re.test(v);
      break;
    }
  }
  if (cache.size > 10_000) cache.clear();
  cache.set(key, test);
  return test;
}

/** True when the labels satisfy every matcher, the way Prometheus' index does. */
export function matchesAll(labels: Readonly<Record<string, string>>, matchers: readonly LabelMatcher[]): boolean {
  for (const m of matchers) if (!compileMatcher(m)(labels[m.name] ?? '')) return false;
  return true;
}
