import type { LogEntry, PaneId } from './state.js';

/**
 * What the console's parts (prompt-controller.ts, pane-controller.ts, overlay-controller.ts) ask
 * of the Controller that holds them: the one running command, the log, and each other's entry
 * points, so no part holds another.
 */
export interface ConsoleHost {
  notice(text: string | null): void;
  log(entry: Omit<LogEntry, 'id'>): number;
  amendLog(id: number, change: Partial<Pick<LogEntry, 'text' | 'exitCode'>>): void;
  /** The confirmation dialog (a production profile's name is typed). */
  ask(message: string, typeToConfirm?: string | null): Promise<boolean>;
  /** Runs a command as the console's one running command (Ctrl-C aborts it); pane data reloads afterwards. */
  execute(label: string, run: (signal: AbortSignal) => Promise<number>): Promise<number>;
  /** True while a command runs, after saying so in the footer: the console runs one at a time. */
  busy(): boolean;
  refreshPane(): Promise<void>;
  switchPane(pane: PaneId): void;
  /** Tab at the prompt: completes the line, or opens the menu of choices. */
  openMenu(): void;
  /** The `?` overlay of where the user is. */
  openKeyHelp(): void;
  /** Ctrl-O: the output at the bottom of the area, in the pager. */
  openOutputPager(): void;
}
