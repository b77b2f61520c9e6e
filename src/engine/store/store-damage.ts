import { OpsError } from '../../core/errors.js';

/**
 * The refusal for a data dir whose files no longer hold what opsdeck wrote and acknowledged. A
 * configuration error (exit 2): the store cannot be used until the user restores or replaces the
 * data dir, and opsdeck changed nothing on the way, so a backup or a copy for inspection is intact.
 */
export function storeDamaged(dir: string, problem: string): OpsError {
  return new OpsError(
    'config',
    `the embedded store in ${dir} is damaged: ${problem}; nothing was changed`,
    `restore the data dir from a backup, or move it aside to start empty: mv ${dir} ${dir}.damaged`,
  );
}

/** The refusal for files written by a newer opsdeck than this one. */
export function storeTooNew(dir: string, file: string, format: number): OpsError {
  return new OpsError('config', `the embedded store in ${dir} has ${file} in format ${format}, which this opsdeck cannot read`, 'use the opsdeck version that wrote it, or a newer one');
}
