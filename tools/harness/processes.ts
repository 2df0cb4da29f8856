// Process trees and the cleanups that must run even on a signal or a crash:
// only ever signal processes we started (checked pids, never 0 or -1).
import fs from 'node:fs';
import { sleep } from './wait';

function childrenMap(): Map<number, number[]> {
  const map = new Map<number, number[]>();
  for (const ent of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(ent)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${ent}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = map.get(ppid) ?? [];
      list.push(Number(ent));
      map.set(ppid, list);
    } catch { /* gone */ }
  }
  return map;
}

/** Only ever signal real, specific processes: never 0, -1 or our own process. */
function isPid(pid: number | undefined): pid is number {
  return Number.isInteger(pid) && (pid as number) > 1 && pid !== process.pid;
}

/** pid and all its descendants (children may have left the process group, e.g. setsid'd pty hosts). */
export function processTree(pid: number | undefined): number[] {
  if (!isPid(pid)) return [];
  const map = childrenMap();
  const out: number[] = [];
  const walk = (p: number): void => { out.push(p); for (const c of map.get(p) ?? []) walk(c); };
  walk(pid);
  return out;
}

function signalAll(pids: number[], pgid: number, sig: NodeJS.Signals): void {
  if (isPid(pgid)) { try { process.kill(-pgid, sig); } catch { /* group gone */ } }
  for (const p of pids) if (isPid(p)) { try { process.kill(p, sig); } catch { /* gone */ } }
}

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

export function killTreeSync(pid: number | undefined): void {
  if (!isPid(pid)) return;
  signalAll(processTree(pid), pid, 'SIGKILL');
}

/** SIGTERM to the group and every descendant, SIGKILL to what is left after `graceMs`. */
export async function killTree(pid: number | undefined, exited: Promise<unknown>, graceMs = 3000): Promise<void> {
  if (!isPid(pid)) return;
  const pids = processTree(pid); // collect before anything is reparented to init
  signalAll(pids, pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  await Promise.race([exited, sleep(graceMs)]);
  while (Date.now() < deadline && pids.some(alive)) await sleep(100);
  signalAll(pids.filter(alive), pid, 'SIGKILL');
  await Promise.race([exited, sleep(2000)]);
}

/** Direct children of this process that run chromium (playwright starts it as its own process group). */
export function chromiumChildren(): number[] {
  return (childrenMap().get(process.pid) ?? []).filter((p) => {
    try { return /chrom/i.test(fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0')[0]); } catch { return false; }
  });
}

// Cleanups that must run even on SIGINT/SIGTERM/uncaught errors.
const cleanups = new Set<() => void>();
export function registerCleanup(fn: () => void): () => void {
  cleanups.add(fn);
  return () => { cleanups.delete(fn); };
}
export function runCleanupsSync(): void {
  for (const fn of [...cleanups]) { try { fn(); } catch { /* best effort */ } cleanups.delete(fn); }
}
process.once('exit', runCleanupsSync);
