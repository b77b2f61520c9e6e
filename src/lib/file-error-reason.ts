/**
 * Why a file could not be read, in the words every file error of opsdeck uses (a trace, a profile
 * file, a --file argument): the common causes spelt out, any other by its code or message.
 */
export function fileErrorReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'it does not exist';
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return code ?? (e as Error).message;
}
