import { stringOpt } from './option-types.js';

/** Options several commands share, declared once with their defaults. */
export const DEFAULT_NAMESPACE = 'public';
export const DEFAULT_GROUP = 'DEFAULT_GROUP';
export const NAMESPACE = stringOpt({ value: 'ns', summary: 'namespace', default: DEFAULT_NAMESPACE, complete: 'namespace' });
export const GROUP = stringOpt({ value: 'group', summary: 'group', default: DEFAULT_GROUP, complete: 'group' });
