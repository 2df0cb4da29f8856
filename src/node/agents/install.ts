import { createHash } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { shQuote } from '../commit/install';
import type { RepoPaths } from '../git/git';
import { readIfExists, writeFileAtomic } from '../files';
import { addOurHooks, AGENT_SPECS, clineScript, hasOurHooks, opencodePlugin, removeOurHooks, SCRIPT_MARKER } from '../../core/agentConfig';
import type { AgentSpec } from '../../core/agentConfig';
import { OPENCODE_SOURCE } from '../../core/agentPayload';
import type { AgentId } from '../../core/agentPayload';

/**
 * `ai-provenance agents install|uninstall|status`: writes our hook into each
 * agent's own config, merged with what is there. Before the first write the
 * file's bytes are kept (in the git directory for a project, in the user's
 * state folder otherwise), so `uninstall` puts them back exactly, or removes
 * the file when we created it. A file the person changed since is not put
 * back: only our entries leave it. A file that does not parse is reported,
 * never overwritten.
 */

export type Scope = 'project' | 'user';

export interface AgentPlace {
  readonly scope: Scope;
  /** The project root (project scope) or the home directory (user scope). */
  readonly base: string;
  /** Where install records are kept for this scope. */
  readonly stateDir: string;
  readonly env: NodeJS.ProcessEnv;
}

export interface Runtime {
  /** A Node runtime (`process.execPath`). */
  readonly runtimePath: string;
  /** The bundled CLI (`dist/cli.js`). */
  readonly cliPath: string;
  /**
   * A launcher that runs the current CLI (launcher.ts): when set, the hooks
   * call it instead, so they keep working after the extension updates.
   */
  readonly launcher?: string;
}

/** One file an install or uninstall touched or would have. */
export interface FileOutcome {
  readonly agent: AgentId;
  readonly file: string;
  readonly status: 'installed' | 'unchanged' | 'restored' | 'removed' | 'removed-ours' | 'absent' | 'malformed' | 'foreign';
  readonly detail?: string;
}

/** A repository's own agent config files; install records kept beside its ledger. */
export function projectPlace(repo: RepoPaths, env: NodeJS.ProcessEnv): AgentPlace {
  return { scope: 'project', base: repo.root, stateDir: path.join(repo.ledgerDir, 'agents'), env };
}

/** The config files in the person's home directory; install records in their state folder. */
export function userPlace(env: NodeJS.ProcessEnv): AgentPlace {
  return { scope: 'user', base: os.homedir(), stateDir: userStateDir(env), env };
}

const SAID: Record<FileOutcome['status'], string> = {
  installed: 'installed in',
  unchanged: 'already in',
  restored: 'restored',
  removed: 'removed',
  'removed-ours': 'removed our hooks from',
  absent: 'nothing of ours in',
  malformed: 'cannot read',
  foreign: 'left alone',
};

/** One line saying what happened to one file, for the CLI and the editor alike. */
export function describeOutcome(o: FileOutcome): string {
  return `${o.agent}: ${SAID[o.status]} ${o.file}${o.detail ? ` (${o.detail})` : ''}`;
}

/** The program and arguments that run our hook for an agent. */
export function hookArgv(rt: Runtime, agent: AgentId): string[] {
  return rt.launcher ? [rt.launcher, 'hook', agent] : [rt.runtimePath, rt.cliPath, 'hook', agent];
}

/** The shell command that runs our hook for an agent: `'<launcher>' hook <agent>`, or `'<node>' '<cli.js>' hook <agent>`. */
function hookShellCommand(rt: Runtime, agent: AgentId): string {
  const argv = hookArgv(rt, agent);
  return [...argv.slice(0, -2).map(shQuote), ...argv.slice(-2)].join(' ');
}

/** The command an agent's config runs. `|| true`: a missing runtime must never make an agent deny a tool. */
export function agentCommand(rt: Runtime, agent: AgentId): string {
  return `${hookShellCommand(rt, agent)} || true`;
}

/** The config files (absolute) an agent's hooks live in, for a scope. */
export function configFiles(spec: AgentSpec, place: AgentPlace): string[] {
  let base = place.base;
  let rel = place.scope === 'project' ? spec.project : spec.user.path;
  const override = place.scope === 'user' && spec.user.env ? place.env[spec.user.env] : undefined;
  if (override) {
    base = override;
    rel = rel.split('/').slice(1).join('/');
  }
  const at = path.join(base, ...rel.split('/'));
  return spec.format === 'script' ? spec.events.map((ev) => path.join(at, ev)) : [at];
}

/** What we keep of a file before our first write to it. */
interface InstallRecord {
  readonly file: string;
  /** Base64 of the bytes before, or `null` when we created the file. */
  readonly original: string | null;
  /** Base64 of the bytes we wrote last. */
  readonly written: string;
}

function recordFile(place: AgentPlace, file: string): string {
  return path.join(place.stateDir, 'installed', `${createHash('sha1').update(path.resolve(file)).digest('hex')}.json`);
}

async function readRecord(place: AgentPlace, file: string): Promise<InstallRecord | undefined> {
  try {
    return JSON.parse(await fs.readFile(recordFile(place, file), 'utf8')) as InstallRecord;
  } catch {
    return undefined;
  }
}

/** A file's bytes, or `undefined` when there is none. */
async function readMaybe(file: string): Promise<Buffer | undefined> {
  const text = await readIfExists(file, 'latin1');
  return text === undefined ? undefined : Buffer.from(text, 'latin1');
}

/** A file's permission bits, `undefined` when there is no file. */
async function modeOf(file: string): Promise<number | undefined> {
  const st = await fs.stat(file).catch(() => undefined);
  return st ? st.mode & 0o7777 : undefined;
}

/** The folders `mkdir -p` would create for `dir`, deepest first. */
function missingDirs(dir: string): string[] {
  const out: string[] = [];
  for (let d = dir; !existsSync(d); d = path.dirname(d)) out.push(d);
  return out;
}

/** Writes `text` to `file`, keeping its earlier bytes (or that it was absent) on the first write. */
async function writeTracked(place: AgentPlace, file: string, before: Buffer | undefined, text: string, mode?: number): Promise<void> {
  const prior = await readRecord(place, file);
  const dirs = missingDirs(path.dirname(file));
  await fs.mkdir(path.dirname(file), { recursive: true });
  // A settings file may hold secrets (API keys in `env`): it keeps its permissions.
  await writeFileAtomic(file, text, mode ?? (await modeOf(file)));
  const written = Buffer.from(text).toString('base64');
  if (prior && before !== undefined && before.toString('base64') !== prior.written) {
    // The person changed the file since our last write: its bytes before that are not theirs to get
    // back any more, and these hold our older entry. Uninstall will take out only our hooks.
    await fs.rm(recordFile(place, file), { force: true });
  } else {
    const rec: InstallRecord = prior && before !== undefined ? { ...prior, written } : { file, original: before ? before.toString('base64') : null, written };
    await fs.mkdir(path.dirname(recordFile(place, file)), { recursive: true });
    await writeFileAtomic(recordFile(place, file), JSON.stringify(rec));
  }
  if (dirs.length > 0) await writeFileAtomic(createdDirsFile(place), JSON.stringify([...new Set([...(await createdDirs(place)), ...dirs])]));
}

/** Folders we created, in any install of this scope: removed again once empty. */
function createdDirsFile(place: AgentPlace): string {
  return path.join(place.stateDir, 'created-dirs.json');
}

async function createdDirs(place: AgentPlace): Promise<string[]> {
  try {
    const list = JSON.parse(await fs.readFile(createdDirsFile(place), 'utf8')) as unknown;
    return Array.isArray(list) ? list.filter((d): d is string => typeof d === 'string') : [];
  } catch {
    return [];
  }
}

/** Removes the folders we created that are empty now, deepest first; the others stay listed. */
export async function pruneCreatedDirs(place: AgentPlace): Promise<void> {
  const left: string[] = [];
  for (const d of (await createdDirs(place)).sort((a, b) => b.length - a.length)) {
    try {
      await fs.rmdir(d);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') left.push(d);
    }
  }
  if (left.length > 0) await writeFileAtomic(createdDirsFile(place), JSON.stringify(left));
  else await fs.rm(createdDirsFile(place), { force: true });
}

/** The text our file-per-agent formats hold. */
function ownFileText(spec: AgentSpec, rt: Runtime): string {
  return spec.format === 'plugin' ? opencodePlugin(hookArgv(rt, spec.id), OPENCODE_SOURCE) : clineScript(hookShellCommand(rt, spec.id));
}

async function installFile(spec: AgentSpec, place: AgentPlace, rt: Runtime, file: string): Promise<FileOutcome> {
  const before = await readMaybe(file);
  const own = spec.format === 'script' || spec.format === 'plugin';
  let text: string;
  if (own) {
    if (before !== undefined && !before.toString('utf8').includes(SCRIPT_MARKER)) return { agent: spec.id, file, status: 'foreign', detail: 'a file of the same name that is not ours; left alone' };
    text = ownFileText(spec, rt);
  } else {
    const edit = addOurHooks(before?.toString('utf8'), spec, agentCommand(rt, spec.id));
    if (!edit.ok) return { agent: spec.id, file, status: 'malformed', detail: `${edit.error}; not changed` };
    text = edit.text;
  }
  if (before !== undefined && before.toString('utf8') === text) return { agent: spec.id, file, status: 'unchanged' };
  await writeTracked(place, file, before, text, spec.format === 'script' ? 0o755 : undefined);
  return { agent: spec.id, file, status: 'installed' };
}

export async function installAgent(agent: AgentId, place: AgentPlace, rt: Runtime): Promise<FileOutcome[]> {
  const spec = AGENT_SPECS[agent];
  const out: FileOutcome[] = [];
  for (const file of configFiles(spec, place)) out.push(await installFile(spec, place, rt, file));
  return out;
}

async function uninstallFile(spec: AgentSpec, place: AgentPlace, file: string): Promise<FileOutcome> {
  const now = await readMaybe(file);
  const rec = await readRecord(place, file);
  const forget = (): Promise<void> => fs.rm(recordFile(place, file), { force: true });
  if (now === undefined) {
    await forget();
    return { agent: spec.id, file, status: 'absent' };
  }
  if (rec && now.toString('base64') === rec.written) {
    if (rec.original === null) await fs.rm(file, { force: true });
    else await writeFileAtomic(file, Buffer.from(rec.original, 'base64'), await modeOf(file));
    await forget();
    return { agent: spec.id, file, status: rec.original === null ? 'removed' : 'restored' };
  }
  return uninstallChanged(spec, file, now, forget);
}

/** The file changed since we wrote it: only our part leaves. */
async function uninstallChanged(spec: AgentSpec, file: string, now: Buffer, forget: () => Promise<void>): Promise<FileOutcome> {
  const text = now.toString('utf8');
  if (spec.format === 'script' || spec.format === 'plugin') {
    if (!text.includes(SCRIPT_MARKER)) return { agent: spec.id, file, status: 'foreign', detail: 'not ours; left alone' };
    await forget();
    return { agent: spec.id, file, status: 'unchanged', detail: 'ours, but changed since it was installed; left for you to remove' };
  }
  const edit = removeOurHooks(text, spec);
  if (!edit.ok) return { agent: spec.id, file, status: 'malformed', detail: `${edit.error}; not changed` };
  await forget();
  if (!edit.changed) return { agent: spec.id, file, status: 'absent' };
  await writeFileAtomic(file, edit.text, await modeOf(file));
  return { agent: spec.id, file, status: 'removed-ours', detail: 'changed since install: only our hooks were removed' };
}

export async function uninstallAgent(agent: AgentId, place: AgentPlace): Promise<FileOutcome[]> {
  const spec = AGENT_SPECS[agent];
  const out: FileOutcome[] = [];
  for (const file of configFiles(spec, place)) out.push(await uninstallFile(spec, place, file));
  await pruneCreatedDirs(place);
  return out;
}

export interface AgentStatus {
  readonly agent: AgentId;
  readonly detected: boolean;
  readonly files: ReadonlyArray<{ readonly file: string; readonly state: 'installed' | 'not-installed' | 'absent' | 'malformed' }>;
}

async function fileState(spec: AgentSpec, file: string): Promise<'installed' | 'not-installed' | 'absent' | 'malformed'> {
  const buf = await readMaybe(file);
  if (buf === undefined) return 'absent';
  const text = buf.toString('utf8');
  if (spec.format === 'script' || spec.format === 'plugin') return text.includes(SCRIPT_MARKER) ? 'installed' : 'not-installed';
  const edit = addOurHooks(text, spec, 'x');
  if (!edit.ok) return 'malformed';
  return hasOurHooks(text, spec) ? 'installed' : 'not-installed';
}

export async function agentStatus(agent: AgentId, place: AgentPlace, home: string): Promise<AgentStatus> {
  const spec = AGENT_SPECS[agent];
  const files = [];
  for (const file of configFiles(spec, place)) files.push({ file, state: await fileState(spec, file) });
  return { agent, detected: isDetected(spec, home, place.env), files };
}

/** An agent is there when its program is on PATH or its folder is in the home directory. */
export function isDetected(spec: AgentSpec, home: string, env: NodeJS.ProcessEnv): boolean {
  if (spec.detect.dirs.some((d) => existsSync(path.join(home, ...d.split('/'))))) return true;
  const dirs = (env.PATH ?? '').split(path.delimiter).filter((d) => d !== '');
  const exts = process.platform === 'win32' ? ['.exe', '.cmd', ''] : [''];
  return spec.detect.bins.some((b) => dirs.some((d) => exts.some((x) => existsSync(path.join(d, b + x)))));
}

/** Where install records and the hook's log live for the user: `$XDG_STATE_HOME/ai-provenance`. */
export function userStateDir(env: NodeJS.ProcessEnv): string {
  if (env.XDG_STATE_HOME) return path.join(env.XDG_STATE_HOME, 'ai-provenance');
  if (process.platform === 'win32' && env.LOCALAPPDATA) return path.join(env.LOCALAPPDATA, 'ai-provenance');
  return path.join(os.homedir(), '.local', 'state', 'ai-provenance');
}

const MAX_LOG_BYTES = 1024 * 1024;

/** One line in the hook log; never to the agent, never an error of its own. */
export async function logLine(env: NodeJS.ProcessEnv, agent: string, message: string): Promise<void> {
  try {
    const file = path.join(userStateDir(env), 'agent-hook.log');
    await fs.mkdir(path.dirname(file), { recursive: true });
    const st = await fs.stat(file).catch(() => undefined);
    if (st && st.size > MAX_LOG_BYTES) await fs.writeFile(file, '');
    await fs.appendFile(file, `${new Date().toISOString()} ${agent} ${message.replace(/[\r\n]+/g, ' ')}\n`);
  } catch {
    // Nowhere to log to: the hook's answer to the agent matters more.
  }
}
