import type { ConsoleState } from './state.js';

/** The prompt's label (`prod:ro› `): one definition for the Ink prompt and the boot painter, which draw it before and after Ink loads. */
export function promptLabel(profile: ConsoleState['profile']): string {
  return `${profile.name}${profile.readOnly ? ':ro' : ''}› `;
}
