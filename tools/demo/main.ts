// `npm run demo`: the extension in a real VS Code (code-server 4.139.1, i.e.
// VS Code 1.139.1 in the browser) on a machine without VS Code.
//
//   npm run demo -- [--port N] [--dir PATH] [--with-fixture]
//
// Sets up code-server on first use (tools/harness/setup.sh), writes a small
// sample repository with a little history whose commits carry real
// AI-Provenance trailers, installs the freshly built VSIX into a fresh profile
// and serves it on 127.0.0.1 only. Ctrl+C (or SIGTERM) stops code-server and
// everything it started, then prints `demo stopped`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { type CodeServer, ensureSetup, installExtension, setupStatus, startCodeServer } from '../harness/codeServer';
import { buildFixtureVsix } from '../harness/fixture';
import { CLI, REPO_ROOT, extensionVsix } from '../harness/paths';
import { HEADLESS_SETTINGS } from '../harness/settings';
import { createSampleRepo, gitLogExcerpt, openSampleRepo } from './sampleRepo';

const USAGE = `usage: npm run demo -- [--port N] [--dir PATH] [--with-fixture]

  --port N         serve on 127.0.0.1:N (default: a free port the OS picks)
  --dir PATH       keep the demo (sample repository, profile) in PATH and reuse
                   it next time (default: a fresh temp dir, removed on exit)
  --with-fixture   also install test/fixtures/ai-fixture, a deterministic fake AI
                   (inline completion after a line \`// @ai-next\`, and the
                   command "AI Fixture: Apply Chat Edit")`;

const say = (...a: unknown[]): void => console.log('[demo]', ...a);
const fail = (message: string, code: number): never => { console.error(message); process.exit(code); };

interface Options { port: number; dir?: string; withFixture: boolean }

function parseOptions(): Options {
  let values;
  try {
    values = parseArgs({
      options: {
        port: { type: 'string' },
        dir: { type: 'string' },
        'with-fixture': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }).values;
  } catch (err) {
    return fail(`${(err as Error).message}\n\n${USAGE}`, 2);
  }
  if (values.help) { console.log(USAGE); process.exit(0); }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (values.port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65535)) {
    fail(`--port must be a port number (1-65535), not ${JSON.stringify(values.port)}`, 2);
  }
  return { port, dir: values.dir, withFixture: values['with-fixture'] ?? false };
}

/**
 * The demo profile looks like a normal user's: every editor setting at VS
 * Code's default; off only what phones home or steals the first screen.
 * Workspace trust is off (the sample repository was just generated here).
 */
const DEMO_SETTINGS = {
  ...HEADLESS_SETTINGS,
  'workbench.startupEditor': 'readme', // the sample's README says what to look at
  // TypeScript's automatic type acquisition and package.json hovers fetch from the npm
  // registry (ATA also writes ~/.cache/typescript): nothing leaves loopback.
  'typescript.disableAutomaticTypeAcquisition': true,
  'npm.fetchOnlinePackageInfo': false,
};

/** Where the demo lives: --dir (kept, reused) or a fresh temp dir (removed on exit). */
function demoDir(opts: Options): { dir: string; remove: boolean } {
  if (!opts.dir) return { dir: fs.mkdtempSync(path.join(os.tmpdir(), 'ai-provenance-demo-')), remove: true };
  const dir = path.resolve(opts.dir);
  fs.mkdirSync(dir, { recursive: true });
  const entries = fs.readdirSync(dir);
  if (entries.length > 0 && !entries.includes('.ai-provenance-demo')) {
    fail(`[demo] ${dir} is not empty and not a demo dir made by this script; pick another --dir`, 1);
  }
  return { dir, remove: false };
}

/** The demo's one piece of state: where it lives, and the code-server it started. */
class Demo {
  private server: Promise<CodeServer> | undefined;
  stopping = false;

  constructor(readonly opts: Options, readonly dir: string, private readonly removeDir: boolean) {}

  get repoDir(): string { return path.join(this.dir, 'tiny-cart'); }

  async shutdown(reason: string | undefined, exitCode: number): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    if (reason) say(reason);
    const server = this.server ? await this.server.catch(() => undefined) : undefined;
    if (server) await server.stop(); // SIGTERM to its process group and every descendant, SIGKILL after 3 s
    if (this.removeDir) {
      try { fs.rmSync(this.dir, { recursive: true, force: true }); } catch { /* best effort */ }
    }
    console.log(exitCode === 0 ? 'demo stopped' : 'demo stopped (code-server failed)');
    process.exit(exitCode);
  }

  /** Stops on SIGINT/SIGTERM/SIGHUP, and when npm (our parent) went away and left us an orphan. */
  stopOnSignals(): void {
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, () => { void this.shutdown(`${sig}: stopping code-server…`, 0); });
    const parentPid = process.ppid;
    setInterval(() => {
      if (process.ppid !== parentPid) void this.shutdown(`parent process ${parentPid} went away: stopping code-server…`, 0);
    }, 1000).unref();
  }

  async start(vsixes: string[]): Promise<CodeServer> {
    const profile = { userDataDir: path.join(this.dir, 'user-data'), extensionsDir: path.join(this.dir, 'extensions') };
    for (const v of vsixes) {
      say(`installing ${path.basename(v)}`);
      installExtension(v, profile);
    }
    say('starting code-server…');
    this.server = startCodeServer({
      workspace: this.repoDir, ...profile, port: this.opts.port, baseSettings: DEMO_SETTINGS,
      // no extension gallery (open-vsx): the workbench would query it for updates; nothing leaves loopback.
      // Caches of what code-server starts (tsserver, terminals) and the terminal's shell history stay in the demo dir.
      env: { EXTENSIONS_GALLERY: '{}', XDG_CACHE_HOME: path.join(this.dir, 'xdg-cache'), HISTFILE: path.join(this.dir, 'shell-history') },
    });
    const server = await this.server;
    server.proc.once('exit', (code, sig) => {
      if (this.stopping) return;
      const tail = server.output().split('\n').filter((l) => l.trim() !== '').slice(-25).join('\n');
      console.error(`[demo] code-server exited on its own (${code ?? sig}); its last output:\n${tail}`);
      void this.shutdown(undefined, 1);
    });
    return server;
  }
}

function whatToTry(withFixture: boolean): string {
  return `What to try:
  - src/cart.js opens by itself: once the extension is up (a few seconds) the agent's lines
    carry a diamond in the gutter and a mark in the overview ruler; hover their text for
    the origin, confidence and reason. Marks are relative to HEAD: committed lines carry
    none (the commit's trailer keeps the count).
  - Type a line and save: no mark. Paste text copied outside the editor: marked ai-paste.
    Copy and paste inside the editor: the text keeps the origins it had.
  - Commit from the terminal (Ctrl+\`) or the Source Control view; the hook is installed:
      git commit -am "Remove items" && git log -1
    Preview the trailer of what is staged first with: node ${CLI} trailer
  - Command palette (F1): "AI Provenance: Toggle Gutter Marks", "…: Show Commit Provenance".
${withFixture
    ? `  - Fake AI (ai-fixture installed): on a new line type  // @ai-next  then Enter: the ghost text
    "const b = 2; const c = 3;" appears (or Alt+\\); Tab accepts it, recorded as ai-completion.
    F1 "AI Fixture: Apply Chat Edit" inserts two lines the way a chat/agent edit does.`
    : `  - No AI extension is installed, so no inline completion is offered. For a deterministic
    fake AI run  npm run demo -- --with-fixture : after a line  // @ai-next  it offers
    "const b = 2; const c = 3;" (Tab accepts), and adds "AI Fixture: Apply Chat Edit".`}`;
}

async function main(demo: Demo, vsixes: string[]): Promise<void> {
  const reuse = fs.existsSync(path.join(demo.repoDir, '.git'));
  say(reuse ? `reusing the sample repository in ${demo.repoDir}` : `creating the sample repository ${demo.repoDir}`);
  const sample = reuse ? openSampleRepo(demo.repoDir) : createSampleRepo(demo.repoDir);
  if (demo.opts.withFixture) vsixes.push(buildFixtureVsix(path.join(demo.dir, 'vsix')));
  if (demo.stopping) return;
  const t0 = Date.now();
  const server = await demo.start(vsixes);
  if (demo.stopping) return;
  // ?folder= opens the sample; payload openFile (VS Code web's workbench) opens src/cart.js in it.
  // Percent-encoded but for : and /, so the line stays readable and terminals link all of it.
  const q = (s: string): string => encodeURIComponent(s).replace(/%2F/g, '/').replace(/%3A/g, ':');
  const openFile = JSON.stringify([['openFile', `vscode-remote://${demo.repoDir.split(path.sep).join('/')}/src/cart.js`]]);
  const url = `${server.url}/?folder=${q(demo.repoDir)}&payload=${q(openFile)}`;
  const status = sample.git(['status', '--short']).trimEnd().replace(/^/gm, '  ') || '  nothing';
  console.log(`
Sample repository (${path.relative(demo.dir, demo.repoDir)}), \`git log\` with its trailers:
${gitLogExcerpt(sample).replace(/^/gm, '  ')}
${reuse ? `Not committed (git status --short):\n${status}` : 'Not committed yet: src/cart.js, where an agent just added removeItem().'}

${whatToTry(demo.opts.withFixture)}

code-server started in ${((Date.now() - t0) / 1000).toFixed(1)} s (VS Code 1.139.1, --auth none, listening on 127.0.0.1 only: loopback, no password).
Demo dir: ${demo.dir}${demo.opts.dir ? ' (kept)' : ' (removed on exit; --dir PATH keeps one)'}
Stop with Ctrl+C.

AI Provenance demo: open ${url}
`);
}

function start(): void {
  const opts = parseOptions();
  let vsix = '';
  try { vsix = extensionVsix(); } catch { /* reported below */ }
  for (const f of [vsix, CLI]) {
    if (!f || !fs.existsSync(f)) fail(`${f ? path.relative(REPO_ROOT, f) : 'the VSIX'} is missing: run \`npm run package\` first (\`npm run demo\` does).`, 1);
  }
  const setup = setupStatus();
  if (!setup.done) {
    say(`first use: installing code-server ${setup.version} (VS Code 1.139.1) and Node 24 into ${setup.cache}`);
    say('this takes several minutes, once; later runs start in seconds');
  }
  try { ensureSetup(); } catch (err) { fail(`[demo] setting up code-server failed: ${(err as Error).message}`, 1); }
  const { dir, remove } = demoDir(opts);
  const demo = new Demo(opts, dir, remove);
  demo.stopOnSignals();
  fs.writeFileSync(path.join(dir, '.ai-provenance-demo'), 'made by `npm run demo` of AI Provenance\n');
  main(demo, [vsix]).catch((err: Error) => {
    console.error(`[demo] ${err.stack || err.message}`);
    void demo.shutdown(undefined, 1);
  });
}

start();
