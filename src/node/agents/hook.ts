import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { findRepo, gitBuffer } from '../git/git';
import type { RepoPaths } from '../git/git';
import { readFileLedger, writeFileLedger } from '../git/ledgerStore';
import { headText, keptRuns, linesUnknownToLedger, locate, markRuns, readCountedText } from '../commit/mark';
import type { Located } from '../commit/mark';
import { MAX_BLOB_BYTES } from '../commit/staged';
import { hookReply, identifyAgent, modelFromTranscriptTail, readAgentCall, undoReplacements } from '../../core/agentPayload';
import type { AgentCall, AgentId } from '../../core/agentPayload';
import { buildFileLedger } from '../../core/ledger';
import type { Evidence } from '../../core/origin';
import { addedLines } from '../../core/trailer';
import { pruneSnapshots, releaseSnapshot, saveSnapshot, takeSnapshot } from './snapshots';

/**
 * `ai-provenance hook <agent>`: what the agents' hook configs run around
 * their file and shell tools. Before a tool runs it keeps the text of the
 * files the tool names (for a shell command, of every dirty file); after, it
 * diffs and records exactly the lines that changed as `ai-chat`, certain,
 * naming the agent and its model. Every other line keeps what the ledger
 * knew of it, so a person's own lines never become the agent's.
 */

/** A shell command's snapshot holds at most this many dirty files and bytes; the rest is not recorded. */
const MAX_SHELL_FILES = 200;
const MAX_SHELL_BYTES = 16 * 1024 * 1024;
/** VS Code fires PostToolUse before the edit reaches disk (microsoft/vscode#315926): wait this long for it. */
const LATE_WRITE_WAIT_MS = 200;

/** What a hook run did, for the log and the tests. */
export interface AgentHookResult {
  /** What goes to the agent's stdout. */
  readonly reply: string;
  readonly agent?: AgentId;
  /** Repository path → lines recorded as the agent's. */
  readonly recorded: Readonly<Record<string, number>>;
  /** Trouble worth one line in the log (never shown to the agent). */
  readonly trouble: readonly string[];
}

/** Reads a payload; Windsurf has been seen to send raw control characters inside strings. */
export function parsePayload(text: string): unknown {
  const t = text.replace(/^\uFEFF/, '');
  try {
    return JSON.parse(t);
  } catch {
    try {
      return JSON.parse(t.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, ''));
    } catch {
      return undefined;
    }
  }
}

/**
 * A call the launcher's fast path spooled (spool.ts): the one file its
 * payload names, copied by the shell when the hook ran, and when that was.
 */
export interface SpooledFile {
  /** The path exactly as the payload gives it. */
  readonly path: string;
  /** The copy of the file then, or `null` when there was none. */
  readonly copy: string | null;
  /** When the hook ran (the copy's time). */
  readonly at: number;
}

/**
 * Runs one hook call. Never throws for a payload or file problem: trouble is
 * returned, not raised. With `spooled`, the named file's text is the copy
 * taken when the hook ran, not the file as it is now.
 */
export async function runAgentHook(hint: AgentId, input: string, cwd: string, now = Date.now(), spooled?: SpooledFile): Promise<AgentHookResult> {
  const payload = parsePayload(input);
  const call = readAgentCall(payload);
  const agent = call?.agent ?? (payload && typeof payload === 'object' ? identifyAgent(payload as Record<string, unknown>) : undefined);
  const reply = hookReply(agent ?? hint);
  const trouble: string[] = [];
  if (payload === undefined) trouble.push('payload is not JSON');
  if (!call) return { reply, agent, recorded: {}, trouble };
  const repo = await findRepo(path.resolve(cwd, call.cwd ?? '.'));
  if (!repo) return { reply, agent, recorded: {}, trouble };
  const recorded: Record<string, number> = {};
  const base = path.resolve(cwd, call.cwd ?? '.');
  const at = spooled?.at ?? now;
  const files: Files = { spooled, at, now };
  if (call.phase === 'pre') {
    await pruneSnapshots(repo, now);
    if (call.kind === 'shell') await snapshotDirty(repo, call, now);
    else await snapshotFiles(repo, base, call, files, trouble);
  } else {
    const ev = await agentEvidence(call, at);
    if (call.kind === 'shell') await recordShell(repo, call, ev, now, recorded);
    else await recordEdits(repo, base, call, ev, files, recorded, trouble);
  }
  return { reply, agent, recorded, trouble };
}

/** The evidence an agent's lines get: certain, since the agent's own hook says so. */
async function agentEvidence(call: AgentCall, now: number): Promise<Evidence> {
  const model = call.model ?? (call.transcript ? await transcriptModel(call.transcript) : undefined);
  const detail = `written by ${call.agent} (reported by its ${call.kind === 'shell' ? 'shell' : 'edit'} tool hook)`;
  return { origin: 'ai-chat', confidence: 'certain', detail, tool: call.agent, ...(model ? { model } : {}), at: now };
}

/** Claude Code names its model only in the session transcript: the last assistant message in its tail. */
async function transcriptModel(file: string): Promise<string | undefined> {
  let fh: fs.FileHandle | undefined;
  try {
    fh = await fs.open(file, 'r');
    const { size } = await fh.stat();
    const len = Math.min(size, 256 * 1024);
    const buf = Buffer.alloc(len);
    await fh.read(buf, 0, len, size - len);
    return modelFromTranscriptTail(buf.toString('utf8'));
  } catch {
    return undefined;
  } finally {
    await fh?.close();
  }
}

/** The text of a located file, `null` when it does not exist, `undefined` when it does not count (binary, huge). */
async function currentText(abs: string): Promise<string | null | undefined> {
  try {
    const t = await readCountedText(abs);
    return typeof t === 'string' ? t : undefined;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/** Where an edit's texts come from: the files as they are `now`, or the copies of a spooled call made `at`. */
interface Files {
  readonly spooled?: SpooledFile;
  /** When the hook ran. */
  readonly at: number;
  /** Now: when its record is written. */
  readonly now: number;
}

/** A file's text when the hook ran: its spooled copy, or the file itself. */
async function textThen(files: Files, file: string, where: Located, afterTool: boolean): Promise<string | null | undefined> {
  const s = files.spooled;
  if (!s || s.path !== file) return currentText(where.abs);
  if (s.copy === null) return null;
  // After the tool, a record of the file written since the hook ran (the editor saved it meanwhile) describes
  // a newer text than the copy: go on from the file as it is now, exactly as a hook that ran late would.
  const ledger = afterTool ? await readFileLedger(where.repo.ledgerDir, where.rel) : undefined;
  return ledger && ledger.savedAt > s.at ? currentText(where.abs) : currentText(s.copy);
}

async function snapshotFiles(repo: RepoPaths, base: string, call: AgentCall, files: Files, trouble: string[]): Promise<void> {
  const repos = new Map<string, Promise<RepoPaths | undefined>>();
  for (const target of call.files) {
    for (const file of target.from !== undefined ? [target.from, target.path] : [target.path]) {
      const where = await locate(base, repo, file, repos, true);
      if (typeof where === 'string') {
        trouble.push(`${file}: ${where}`);
        continue;
      }
      const text = await textThen(files, file, where, false);
      if (text === undefined) continue;
      await saveSnapshot(where.repo, { v: 1, kind: 'f', callKey: call.callKey, session: call.session, at: files.at, files: { [where.rel]: text } });
    }
  }
}

async function recordEdits(repo: RepoPaths, base: string, call: AgentCall, ev: Evidence, files: Files, recorded: Record<string, number>, trouble: string[]): Promise<void> {
  const repos = new Map<string, Promise<RepoPaths | undefined>>();
  for (const target of call.files) {
    const where = await locate(base, repo, target.path, repos);
    if (typeof where === 'string') {
      trouble.push(`${target.path}: ${where}`);
      continue;
    }
    const from = target.from !== undefined ? await locate(base, repo, target.from, repos, true) : where;
    const fromRel = typeof from === 'string' ? where.rel : from.rel;
    const snap = await takeSnapshot(where.repo, 'f', fromRel, call, files.at);
    let before: string | null | undefined = snap ? snap.files[fromRel] : undefined;
    let text = await textThen(files, target.path, where, true);
    if (before !== undefined && text === before && call.agent === 'vscode-copilot') text = await awaitLateWrite(where.abs, before, files.at);
    if (typeof text !== 'string') {
      await releaseSnapshot(snap);
      continue;
    }
    if (before === undefined && call.edits) before = undoReplacements(text, call.edits);
    if (before === undefined) {
      trouble.push(`${where.rel}: no snapshot from before the edit, and its replacements do not place it; not recorded`);
      continue;
    }
    const n = await recordFile(where.repo, where.rel, before, text, ev, snap?.at ?? files.at, files.now);
    await releaseSnapshot(snap);
    if (n > 0) recorded[where.rel] = (recorded[where.rel] ?? 0) + n;
  }
}

/** The file as it is now, waiting up to {@link LATE_WRITE_WAIT_MS} after the hook ran for a write still to land. */
async function awaitLateWrite(abs: string, before: string | null, start: number): Promise<string | null | undefined> {
  let text = await currentText(abs);
  while (text === before && Date.now() - start < LATE_WRITE_WAIT_MS) {
    await new Promise((r) => setTimeout(r, 20));
    text = await currentText(abs);
  }
  return text;
}

/**
 * Records the lines `after` adds to `before` as the agent's. When the ledger
 * was written after the snapshot (the editor saved the file meanwhile), only
 * lines it does not already know can be the agent's.
 */
async function recordFile(repo: RepoPaths, rel: string, before: string | null, after: string, ev: Evidence, snapAt: number, now: number): Promise<number> {
  if (before === after) return 0;
  const ledger = await readFileLedger(repo.ledgerDir, rel);
  let changed = addedLines(before, after);
  if (ledger && ledger.savedAt > snapAt) {
    const unknown = new Set(linesUnknownToLedger(ledger, after));
    changed = changed.filter((i) => unknown.has(i));
  }
  if (changed.length === 0) return 0;
  const { runs, marked } = markRuns(after, changed, ev, keptRuns(ledger, after));
  if (marked > 0) await writeFileLedger(repo.ledgerDir, buildFileLedger(rel, after, runs, now));
  return marked;
}

/** The work tree's dirty paths (changed, added, untracked; not ignored), from `git status -z`. */
async function dirtyPaths(repo: RepoPaths): Promise<string[]> {
  const out = (await gitBuffer(['status', '--porcelain=v1', '-z', '--untracked-files=all', '--no-renames'], { cwd: repo.root, timeoutMs: 10_000 })).toString('utf8');
  const paths: string[] = [];
  for (const rec of out.split('\0')) {
    if (rec.length < 4 || rec[1] === 'D' || (rec[0] === 'D' && rec[1] === ' ')) continue;
    paths.push(rec.slice(3));
  }
  return paths;
}

async function snapshotDirty(repo: RepoPaths, call: AgentCall, now: number): Promise<void> {
  const files: Record<string, string | null> = {};
  const skipped: string[] = [];
  let bytes = 0;
  for (const rel of await dirtyPaths(repo)) {
    const st = await fs.lstat(path.join(repo.root, rel)).catch(() => undefined);
    if (!st?.isFile()) continue;
    if (Object.keys(files).length >= MAX_SHELL_FILES || st.size > MAX_BLOB_BYTES || bytes + st.size > MAX_SHELL_BYTES) {
      skipped.push(rel);
      continue;
    }
    const text = await currentText(path.join(repo.root, rel));
    if (text === undefined) continue;
    files[rel] = text;
    bytes += st.size;
  }
  await saveSnapshot(repo, { v: 1, kind: 's', callKey: call.callKey, session: call.session, at: now, files, ...(skipped.length ? { skipped } : {}) });
}

/**
 * After a shell command: each file dirty now whose text differs from before.
 * A file that was dirty before is compared with its snapshot; one that was
 * clean, with the index (its text then); a new untracked one counts whole.
 */
async function recordShell(repo: RepoPaths, call: AgentCall, ev: Evidence, now: number, recorded: Record<string, number>): Promise<void> {
  const snap = await takeSnapshot(repo, 's', call.callKey, call, now);
  if (!snap) return;
  const skipped = new Set(snap.skipped ?? []);
  for (const rel of await dirtyPaths(repo)) {
    if (skipped.has(rel)) continue;
    const text = await currentText(path.join(repo.root, rel));
    if (typeof text !== 'string') continue;
    const before = rel in snap.files ? snap.files[rel] : await headText(repo, rel, '');
    const n = await recordFile(repo, rel, before, text, ev, snap.at, now);
    if (n > 0) recorded[rel] = n;
  }
  await releaseSnapshot(snap);
}
