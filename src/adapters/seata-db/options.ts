import { redactText } from '../../core/redact.js';
import { defineOptions, duration, fields, url } from '../kit/options.js';
import { dialectOfUrl } from '../kit/sql/db.js';
import { tableText } from '../kit/sql/identifiers.js';
import { TX_COMMON_FIELDS } from '../kit/tx-options.js';

const TABLE_HINT = 'use the names from store.db.globalTable/branchTable/lockTable of the Seata server';

/** The options of a `{type: seata-db}` entry. Loads no driver. */
export const SEATA_DB_OPTIONS = defineOptions(
  { type: 'seata-db', readme: 'Transactions (Seata)' },
  {
    url: url({ schemes: ['postgres', 'postgresql', 'mysql', 'mariadb'], required: 'url: postgres://user@host:5432/seata', hint: "the database that holds Seata's global_table, branch_table and lock_table" }),
    /** `name` or `schema.name`: table names go into SQL text, so nothing else is accepted. */
    tables: fields({
      global: tableText({ default: 'global_table', hint: TABLE_HINT }),
      branch: tableText({ default: 'branch_table', hint: TABLE_HINT }),
      lock: tableText({ default: 'lock_table', hint: TABLE_HINT }),
    }, { whenAbsent: 'defaults' }),
    ...TX_COMMON_FIELDS,
    /** Per query, and for connecting. */
    timeoutMs: duration({ bareMs: true, default: 10_000 }),
  },
  (o) => {
    const { retryingThreshold, ...rest } = o;
    return {
      ...rest,
      dialect: dialectOfUrl(o.url)!,
      /** The URL without its password, for messages. */
      safeUrl: redactText(o.url),
      retryingThresholdMs: retryingThreshold,
    };
  },
);

/** A `{type: seata-db}` entry, validated, with the backend column name. */
export type SeataDbOptions = ReturnType<typeof SEATA_DB_OPTIONS.read> & { name: string };

export function parseSeataDbOptions(o: Record<string, unknown>, name: string): SeataDbOptions {
  return { ...SEATA_DB_OPTIONS.read(o), name };
}
