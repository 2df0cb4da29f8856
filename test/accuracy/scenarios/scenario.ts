import type { Driver } from '../driver';

/** One accuracy scenario: the files it touches are saved and measured when it ends. */
export interface Scenario {
  name: string;
  /** the channel its edits exercise: the per-channel table groups by it */
  channel: string;
  about: string;
  run(c: Driver): Promise<void>;
}
