import { Text } from 'ink';
import { HEALTH_MARKS, subsystemHealth, type HealthState } from '../../../core/health.js';
import type { ConsoleState } from '../state.js';
import { age } from '../layout.js';

/** The subsystems the bar names, as the panes name them; the cache only where one is configured. */
const SHOWN: ReadonlyArray<readonly [subsystem: string, label: string, always: boolean]> = [
  ['registry', 'services', true],
  ['config', 'config', true],
  ['locks', 'locks', true],
  ['metrics', 'metrics', true],
  ['tx', 'tx', true],
  ['cache', 'cache', false],
];

/** How a state is drawn: not configured is grey and never red; not yet checked is plain. */
export const HEALTH_COLOR: Readonly<Record<HealthState, string | undefined>> = { ok: 'green', warning: 'yellow', down: 'red', unknown: undefined, off: 'gray' };

/** Profile (red on production), read-only badge, each subsystem's health, age of the last refresh. */
export function StatusBar({ s, now }: { s: ConsoleState; now: number }) {
  const marks = SHOWN.map(([subsystem, label, always]) => ({ label, ...subsystemHealth(s.health, subsystem), always })).filter((m) => m.always || m.state !== 'off');
  const data = s.dataDir ? ` │ data ${s.dataDir.dir} (${s.dataDir.from})` : '';
  // The namespace in effect (`use`) applies to typed lines too, so it shows whichever pane is open.
  const ns = s.scope.namespace === undefined ? '' : `ns ${s.scope.namespace} │ `;
  return (
    <Text wrap="truncate">
      <Text bold inverse>{' opsdeck '}</Text>
      <Text bold backgroundColor={s.profile.production ? 'red' : 'blue'} color="white">{` ${s.profile.name}${s.profile.production ? ' (production)' : ''} `}</Text>
      {s.recording ? <Text bold color="red">{' ● REC '}</Text> : null}
      <Text>{` ${s.profile.readOnly ? '[READ-ONLY] ' : ''}│ ${ns}`}</Text>
      {marks.map((m) => (
        <Text key={m.label} color={HEALTH_COLOR[m.state]} dimColor={m.state === 'off'}>{`${m.label} ${HEALTH_MARKS[m.state]}  `}</Text>
      ))}
      <Text>{`│ refreshed ${age(s.lastRefresh, now)}${s.demo ? ' │ demo' : ''}${data} `}</Text>
    </Text>
  );
}
