import { Box } from 'ink';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { layout } from '../layout.js';
import type { ConsoleState } from '../state.js';
import type { Store } from '../store.js';
import { BenchView } from './BenchView.js';
import { Footer } from './Footer.js';
import { KeyHelpOverlay } from './KeyHelpOverlay.js';
import { LogArea } from './LogArea.js';
import { PagerView } from './PagerView.js';
import { PaneArea } from './PaneArea.js';
import { PromptLine } from './PromptLine.js';
import { StatusBar } from './StatusBar.js';
import { Tabs } from './Tabs.js';

/** The whole console frame. It reads the store and renders; all behaviour lives in the controller. */
export function App({ store, tickMs = 1000 }: { store: Store<ConsoleState>; tickMs?: number | undefined }) {
  const s = useSyncExternalStore(store.subscribe, store.get);
  // A slow clock for "data 3s old" labels; it never drives data loading.
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), tickMs);
    return () => clearInterval(t);
  }, [tickMs]);
  const l = layout(s);
  return (
    <Box flexDirection="column" width={l.width} height={s.rows - 1}>
      <StatusBar s={s} now={now} />
      <Tabs s={s} />
      {s.keyHelp && !s.dialog ? (
        <KeyHelpOverlay h={s.keyHelp} cols={l.width} height={l.body} />
      ) : s.bench && !s.dialog ? (
        <BenchView v={s.bench} cols={l.width} height={l.body} style={s.metrics.style} />
      ) : s.pager && !s.dialog ? (
        <PagerView p={s.pager} cols={l.width} height={l.body} />
      ) : (
        <>
          <PaneArea s={s} height={l.pane} now={now} />
          <LogArea s={s} height={l.log} />
        </>
      )}
      <PromptLine s={s} />
      <Footer s={s} now={now} />
    </Box>
  );
}
