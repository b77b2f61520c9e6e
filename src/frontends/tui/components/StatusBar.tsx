import { Text } from 'ink';
import type { ConsoleState } from '../state.js';
import { age, fit } from '../layout.js';

/** Profile (red on production), read-only badge, backend health, age of the last refresh. */
export function StatusBar({ s, now }: { s: ConsoleState; now: number }) {
  // ⚠: the pane loaded, but a backend warned about its state (Eureka keeping expired instances).
  const health = s.health.map((h) => `${h.subsystem} ${!h.ok ? '✗' : h.warning ? '⚠' : '✓'}`).join('  ');
  const bad = s.health.some((h) => !h.ok);
  const warned = s.health.some((h) => h.ok && h.warning);
  // The namespace in effect (`use`) applies to typed lines too, so it shows whichever pane is open.
  const ns = s.scope.namespace === undefined ? '' : `ns ${s.scope.namespace} │ `;
  const rest = ` ${s.profile.readOnly ? '[READ-ONLY] ' : ''}│ ${ns}${health || 'connecting…'} │ refreshed ${age(s.lastRefresh, now)}${s.demo ? ' │ demo' : ''} `;
  return (
    <Text wrap="truncate">
      <Text bold inverse>{' opsdeck '}</Text>
      <Text bold backgroundColor={s.profile.production ? 'red' : 'blue'} color="white">{` ${s.profile.name}${s.profile.production ? ' (production)' : ''} `}</Text>
      <Text color={bad ? 'red' : warned ? 'yellow' : undefined}>{fit(rest, Math.max(10, s.cols - s.profile.name.length - 25))}</Text>
    </Text>
  );
}
