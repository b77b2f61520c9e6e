import type { ConfigBackend } from '../../core/config-center.js';
import { isOpsError, OpsError, usage } from '../../core/errors.js';
import { md5Opt, stringOpt } from '../option-types.js';

/** --if-match TOKEN, and --if-md5 kept as its alias for backends whose token is the md5. */
export const CAS_OPTIONS = {
  'if-match': stringOpt({ value: 'token', summary: 'act only while the config\'s compare-and-set token is this one (the "token" of "config get")' }),
  'if-md5': md5Opt({ summary: 'the same as --if-match, where the token is the md5 (Nacos, embedded)' }),
};

/** The token a command compares against, refusing --if-md5 where the backend's token is not an md5. */
export function ifMatchOf(opts: { 'if-match'?: string | undefined; 'if-md5'?: string | undefined }, backend: ConfigBackend): string | undefined {
  const { 'if-match': token, 'if-md5': md5 } = opts;
  if (md5 !== undefined && backend.tokenName !== 'md5') {
    throw usage(`--if-md5 does not apply to config backend ${backend.name}: its compare-and-set token is the ${backend.tokenName}, not the md5`, 'pass the "token" of "opsdeck config get" with --if-match');
  }
  if (token !== undefined && md5 !== undefined && token.toLowerCase() !== md5) throw usage('--if-match and --if-md5 name different tokens', 'give one of them');
  if (token !== undefined && token.trim() === '') throw usage('--if-match is empty', 'pass the "token" of "opsdeck config get"');
  return token ?? md5;
}

/** A compare-and-set that lost: the backend's words, with the flag that retries it. */
export async function comparing<T>(dataId: string, write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (e) {
    if (isOpsError(e) && e.kind === 'conflict') {
      throw new OpsError('conflict', e.message, `fetch it again with "opsdeck config get ${dataId}", review, and retry with --if-match set to its token`, e.details);
    }
    throw e;
  }
}
