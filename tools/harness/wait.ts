// Waiting on real conditions, and progress logging.

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export type Log = (...a: unknown[]) => void;
/** A logger to stderr with a `[prefix]`. */
export const makeLog = (prefix: string): Log => (...a) => console.error(`[${prefix}]`, ...a);

/** Polls `cond` until it returns something truthy, and returns that; throws after `timeout` ms. */
export async function waitFor<T>(
  what: string,
  cond: () => Promise<T | null | undefined | false | 0 | ''> | T | null | undefined | false | 0 | '',
  { timeout = 10_000, interval = 100 }: { timeout?: number; interval?: number } = {},
): Promise<T> {
  const end = Date.now() + timeout;
  for (;;) {
    const last = await cond();
    if (last) return last as T;
    if (Date.now() > end) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await sleep(interval);
  }
}

/** Seconds since `t0`, for progress lines. */
export const secondsSince = (t0: number): string => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
