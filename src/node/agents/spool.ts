import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { isAgentId, readAgentCall } from '../../core/agentPayload';
import type { AgentId } from '../../core/agentPayload';
import { parsePayload, runAgentHook } from './hook';
import type { SpooledFile } from './hook';
import { logLine, userStateDir } from './install';

/**
 * The agent hooks' spool. Starting Node takes longer than an agent's hook
 * should (about 120 ms on a small machine, more as VS Code's own runtime),
 * so the launcher (launcher.ts) answers the common call itself: a file tool
 * naming one plain absolute path. It copies into one entry here the payload
 * and the file as it is then (before the tool for a `pre`, after it for a
 * `post`), answers the agent, and starts a drain in the background. The
 * drain runs each entry, oldest first, through the same code as a hook run
 * in the foreground ({@link runAgentHook}), with the copy standing for the
 * file, so the ledger gets the same record. Whoever reads agent records
 * drains first: the commit hook, the foreground hook, the editor. An entry
 * leaves the spool only once it has been run, so a drain that is killed
 * leaves the rest to the next one.
 *
 * An entry is the files `<pid>.payload` (stdin), `<pid>.file` (the copy) or
 * `<pid>.absent`, and `<pid>.meta`: the agent the config named, the reply
 * given, the path, the working folder, one a line, and an end line. The
 * shell writes the meta file last, so an entry whose meta is whole is whole;
 * the time of the meta file is the time of the call.
 */

/** Set by the launcher for what it runs: its own spool, whatever the agent's environment says. */
export const SPOOL_ENV = 'AI_PROVENANCE_SPOOL';

/** `<state>/agent-spool`: the launcher's fast path writes here. */
export function spoolDir(env: NodeJS.ProcessEnv): string {
  return env[SPOOL_ENV] || path.join(userStateDir(env), 'agent-spool');
}

/** The launcher takes the fast path only while the spool holds fewer entries, and files no larger. */
export const SPOOL_MAX_ENTRIES = 64;
export const SPOOL_MAX_FILE_BYTES = 1024 * 1024;
export const SPOOL_MAX_PAYLOAD_BYTES = 2 * 1024 * 1024;
/** The meta file's last line. */
export const SPOOL_META_END = 'end';
const PARTS = ['payload', 'file', 'absent', 'meta'] as const;
/** The launcher's note that it started a drain (the time, in seconds); a drain removes it when it starts. */
export const DRAIN_ASKED = '.drain-asked';

/** A lock whose holder has not touched it for this long is given up (its process was killed). */
const LOCK_STALE_MS = 30_000;
/** Parts of an entry this old without a whole meta file were left by a launcher that was killed before it finished. */
const PART_STALE_MS = 60_000;
/** How long a drain waits for an entry whose meta file is being written. */
const BLOCKED_MS = 1_000;

export type SpoolLog = (agent: string, message: string) => Promise<void>;

export interface DrainOptions {
  /** Stop taking entries after this time (`Date.now()`); the rest stay for the next drain. */
  readonly deadline: number;
  /** Wait (until the deadline) for a drain that is at work, instead of leaving the spool to it. */
  readonly wait?: boolean;
  readonly log: SpoolLog;
}

interface Entry {
  /** The entry's files, but for the part's name: `<spool>/<pid>.`. */
  readonly base: string;
  readonly at: number;
}

/** The entries, oldest first (their meta may still be half written). */
async function entries(dir: string): Promise<Entry[]> {
  const names = await fs.readdir(dir).catch((): string[] => []);
  const out: Entry[] = [];
  for (const n of names) {
    if (!n.endsWith('.meta')) continue;
    const st = await fs.stat(path.join(dir, n)).catch(() => undefined);
    if (st) out.push({ base: path.join(dir, n.slice(0, -'meta'.length)), at: st.mtimeMs });
  }
  return out.sort((a, b) => a.at - b.at || (a.base < b.base ? -1 : 1));
}

/** Removes an entry, its meta file last: until then no launcher takes the same name. */
async function removeEntry(base: string): Promise<void> {
  for (const p of PARTS) await fs.rm(base + p, { force: true });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the spool's lock (a file holding our pid); a lock whose process is gone, or that is stale, is broken. */
async function lock(dir: string, opts: DrainOptions): Promise<boolean> {
  const file = path.join(dir, '.lock');
  for (;;) {
    try {
      await fs.writeFile(file, `${process.pid}\n`, { flag: 'wx' });
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') return false;
    }
    const held = await fs.readFile(file, 'utf8').catch(() => '');
    const st = await fs.stat(file).catch(() => undefined);
    const pid = Number(held);
    if (st && (!(pid > 0 && alive(pid)) || Date.now() - st.mtimeMs > LOCK_STALE_MS)) {
      if ((await fs.readFile(file, 'utf8').catch(() => '')) === held) await fs.rm(file, { force: true });
      continue;
    }
    if (!opts.wait || Date.now() >= opts.deadline) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Runs the spooled calls, oldest first, until none is left or the deadline
 * passes. One drain at a time: another finds the lock and leaves the spool
 * to it (or, with `wait`, waits for it). Never throws. Returns how many
 * entries it ran.
 */
export async function drainSpool(dir: string, opts: DrainOptions): Promise<number> {
  let done = 0;
  let blockedSince: number | undefined;
  try {
    // The launcher asks for no other drain while this file is there: this one looks again before it ends.
    await fs.rm(path.join(dir, DRAIN_ASKED), { force: true });
    // Checked again once the lock is let go: an entry spooled just before would otherwise wait for the next call.
    while (Date.now() < opts.deadline && (await entries(dir)).length > 0) {
      if (!(await lock(dir, opts))) return done;
      let pass: Pass;
      try {
        pass = await drainLocked(dir, opts);
      } finally {
        await fs.rm(path.join(dir, '.lock'), { force: true });
      }
      done += pass.done;
      if (!pass.blocked) continue;
      // The launcher writing the next entry starts a drain of its own once it is done.
      blockedSince ??= Date.now();
      if (Date.now() - blockedSince > BLOCKED_MS) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    await dropStaleParts(dir);
  } catch (e) {
    await opts.log('spool', `could not drain ${dir}: ${(e as Error).message}`);
  }
  return done;
}

interface Pass {
  readonly done: number;
  /** Stopped at an entry whose meta file is still being written. */
  readonly blocked: boolean;
}

async function drainLocked(dir: string, opts: DrainOptions): Promise<Pass> {
  let done = 0;
  for (;;) {
    const list = await entries(dir);
    if (list.length === 0) return { done, blocked: false };
    for (const entry of list) {
      if (Date.now() >= opts.deadline) return { done, blocked: false };
      // Still at work: the lock is not stale.
      await fs.utimes(path.join(dir, '.lock'), new Date(), new Date()).catch(() => undefined);
      if ((await runEntry(entry, opts.log)) === 'incomplete') return { done, blocked: true };
      await removeEntry(entry.base);
      done++;
    }
  }
}

interface Meta {
  readonly hint: AgentId;
  readonly reply: string;
  readonly file: string;
  readonly cwd: string;
}

/** The meta file's fields; `incomplete` while its end line is not written yet. */
function parseMeta(text: string): Meta | 'incomplete' | undefined {
  const lines = text.split('\n');
  if (lines.pop() !== '' || lines.pop() !== SPOOL_META_END) return 'incomplete';
  const [hint, reply, file, ...cwd] = lines;
  if (!isAgentId(hint) || reply === undefined || !file?.startsWith('/') || cwd.length === 0) return undefined;
  return { hint, reply, file, cwd: cwd.join('\n') };
}

/** The spooled file: the copy, or `null` when the shell found none; `undefined` when the entry is not whole. */
async function copyOf(base: string): Promise<string | null | undefined> {
  const [copy, absent] = await Promise.all([fs.lstat(base + 'file').catch(() => undefined), fs.lstat(base + 'absent').catch(() => undefined)]);
  if (copy?.isFile() && !absent) return base + 'file';
  return absent?.isFile() && !copy ? null : undefined;
}

/**
 * Runs one entry as the hook would have run in the foreground. A malformed
 * one is logged and skipped; one whose meta is still being written waits
 * (for a minute at most: then its launcher was killed).
 */
async function runEntry(entry: Entry, log: SpoolLog): Promise<'ran' | 'incomplete'> {
  const [metaText, input, copy] = await Promise.all([
    fs.readFile(entry.base + 'meta', 'utf8').catch(() => undefined),
    fs.readFile(entry.base + 'payload', 'utf8').catch(() => undefined),
    copyOf(entry.base),
  ]);
  const meta = metaText === undefined ? undefined : parseMeta(metaText);
  if (meta === 'incomplete' && Date.now() - entry.at < PART_STALE_MS) return 'incomplete';
  if (!meta || meta === 'incomplete' || input === undefined || copy === undefined) {
    await log('spool', `malformed spool entry ${path.basename(entry.base)}meta; skipped`);
    return 'ran';
  }
  const call = readAgentCall(parsePayload(input));
  const one = call === undefined || (call.kind === 'edit' && call.files.length === 1 && call.files[0].path === meta.file && call.files[0].from === undefined);
  if (!one && call?.phase === 'pre') {
    await log(meta.hint, `spooled call names other files than ${meta.file}; nothing kept from before the tool`);
    return 'ran';
  }
  const spooled: SpooledFile | undefined = one ? { path: meta.file, copy, at: entry.at } : undefined;
  try {
    const result = await runAgentHook(meta.hint, input, meta.cwd, Date.now(), spooled);
    if (result.reply !== meta.reply) await log(result.agent ?? meta.hint, `the fast path answered ${JSON.stringify(meta.reply)} where ${JSON.stringify(result.reply)} was due`);
    for (const t of result.trouble) await log(result.agent ?? meta.hint, t);
  } catch (e) {
    await log(meta.hint, `spooled call not recorded: ${(e as Error).message}`);
  }
  return 'ran';
}

/** Parts without a meta file, left by a launcher killed before it finished (or that went to Node), once old. */
async function dropStaleParts(dir: string): Promise<void> {
  const names = await fs.readdir(dir).catch((): string[] => []);
  const metas = new Set(names.filter((n) => n.endsWith('.meta')).map((n) => n.slice(0, -'meta'.length)));
  for (const n of names) {
    const base = n.slice(0, n.lastIndexOf('.') + 1);
    if (n.startsWith('.') || metas.has(base)) continue;
    const st = await fs.stat(path.join(dir, n)).catch(() => undefined);
    if (st && Date.now() - st.mtimeMs > PART_STALE_MS) await fs.rm(path.join(dir, n), { force: true });
  }
}

/** How long a hook in the foreground lets the spool drain before it goes on. */
export const DRAIN_FIRST_MS = 800;
/** How long the commit hook lets it drain (waiting for a drain at work included), out of its budget. */
export const COMMIT_DRAIN_MS = 2_000;

/** Runs the calls the launcher spooled in the user's state folder, logging to the hook log; never throws. */
export function drainAgentSpool(env: NodeJS.ProcessEnv, ms: number, wait: boolean): Promise<number> {
  return drainSpool(spoolDir(env), { deadline: Date.now() + ms, wait, log: (agent, message) => logLine(env, agent, message) });
}
