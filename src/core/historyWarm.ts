/**
 * When Toggle AI History's cache is warmed in the background, and which file
 * next: a pure policy the editor asks after each event (an edit, a switch of
 * editor, HEAD or the notes moving, a warm finishing). One file at a time,
 * only after the window has been idle a while, at most a few per minute,
 * never twice for the same state of the repository.
 */

export interface WarmBounds {
  /** The window must have been idle this long (no edit, no switch of editor). */
  readonly idleMs: number;
  /** Warms started in any minute, at most. */
  readonly perMinute: number;
  /** Files larger than this at HEAD are left for the toggle itself. */
  readonly maxBytes: number;
}

export const WARM_BOUNDS: WarmBounds = { idleMs: 3000, perMinute: 6, maxBytes: 2 * 1024 * 1024 };

export interface WarmState {
  /** `provenance.history.warm`. */
  readonly enabled: boolean;
  /** Files that may be warmed, in order: the active editor's first, then the other visible ones. */
  readonly candidates: readonly string[];
  /** The active editor's file (warmed even when never warmed before; the others only to carry a cache forward). */
  readonly active?: string;
  /** A warm is running (one at a time). */
  readonly running: boolean;
  /** When the window was last busy (epoch ms). */
  readonly lastActivity: number;
  /** When recent warms started (epoch ms). */
  readonly started: readonly number[];
  /** The repository's state (HEAD and notes moves counted), as the editor last saw it. */
  readonly generation: number;
  /** File → the generation it was last warmed (or found current, untracked, too large…) at. */
  readonly warmedAt: ReadonlyMap<string, number>;
}

export type WarmDecision =
  | { readonly kind: 'warm'; readonly file: string }
  | { readonly kind: 'wait'; readonly ms: number }
  | { readonly kind: 'none' };

const MINUTE = 60_000;

/** The file to warm now, how long to wait before asking again, or nothing to do until the next event. */
export function nextWarm(s: WarmState, now: number, bounds: WarmBounds = WARM_BOUNDS): WarmDecision {
  if (!s.enabled || s.running) return { kind: 'none' };
  const file = s.candidates.find((f) => s.warmedAt.get(f) !== s.generation && (f === s.active || s.warmedAt.has(f)));
  if (file === undefined) return { kind: 'none' };
  const idleLeft = s.lastActivity + bounds.idleMs - now;
  if (idleLeft > 0) return { kind: 'wait', ms: idleLeft };
  const recent = s.started.filter((t) => now - t < MINUTE).sort((a, b) => a - b);
  if (recent.length >= bounds.perMinute) return { kind: 'wait', ms: recent[recent.length - bounds.perMinute] + MINUTE - now };
  return { kind: 'warm', file };
}

/** The start times still inside the rate window (what a caller keeps). */
export function recentStarts(started: readonly number[], now: number): number[] {
  return started.filter((t) => now - t < MINUTE);
}
