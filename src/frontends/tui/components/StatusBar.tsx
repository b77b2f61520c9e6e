import { Text } from 'ink';
import type { ConsoleState } from '../state.js';
import { age, fit } from '../layout.js';

/** Profile (red on production), read-only badge, backend health, age of the last refresh. */
export function StatusBar({ s, now }: { s: ConsoleState; now: number }) {
  // ⚠: the pane loaded, but a backend warned about its state (Eureka keeping expired instances).
  const health = s.health.map((h) => `${h.subsystem} ${!h.ok ? '✗' : h.warning ? '⚠' : '✓'}`).join('  ');
  const bad = s.health.some((h) => !h.ok);
  const warned = s.health.some((h) => h.ok && h.warning);
  const data = s.dataDir ? ` │ data ${s.dataDir.dir} (${s.dataDir.from})` : '';
  const rest = ` ${s.profile.readOnly ? '[READ-ONLY] ' : ''}│ ${health || 'connecting…'} │ refreshed ${age(s.lastRefresh, now)}${s.demo ? ' │ demo' : ''}${data} `;
  const rec = s.recording ? ' ● REC ' : '';
  const profile = ` ${s.profile.name}${s.profile.production ? ' (production)' : ''} `;
  return (
    <Text wrap="truncate">
      <Text bold inverse>{' opsdeck '}</Text>
      <Text bold backgroundColor={s.profile.production ? 'red' : 'blue'} color="white">{profile}</Text>
      {rec ? <Text bold color="red">{rec}</Text> : null}
      <Text color={bad ? 'red' : warned ? 'yellow' : undefined}>{fit(rest, Math.max(10, s.cols - ' opsdeck '.length - profile.length - rec.length - 1))}</Text>
    </Text>
  );
}
