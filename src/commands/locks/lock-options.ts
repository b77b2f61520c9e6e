import { usage } from '../../core/errors.js';
import { arg } from '../arg-types.js';
import { stringOpt } from '../option-types.js';
import type { ArgDef, OptionDef } from '../types.js';

/** Which lock backend a command acts on; the session connects only that one. */
export const BACKEND_OPTION = stringOpt({ value: 'name', summary: 'which lock backend of the profile (default: the first)' });

/** A lock name: any non-empty text (each backend maps it to its own keys or paths). */
export const LOCK_NAME: ArgDef<string> = (() => {
  const text = arg({ summary: 'lock name', complete: 'lock' });
  return {
    ...text,
    read(raw, name) {
      const v = text.read(raw, name);
      if (v.length === 0) throw usage('the lock name is empty', 'give a name such as deploy/orders');
      return v;
    },
  };
})();

/** An owner id: the holder a lock is taken or released as. */
export function ownerOption(summary: string): OptionDef<string | undefined> {
  const text = stringOpt({ value: 'id', summary });
  return {
    ...text,
    read(raw, flag) {
      const v = text.read(raw, flag);
      if (v !== undefined && v.length === 0) throw usage(`${flag} is empty`, `give an owner id, or drop ${flag} to use the default (user@host:pid)`);
      return v;
    },
  };
}
