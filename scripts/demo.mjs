#!/usr/bin/env node
// `npm run demo`: the extension in a real VS Code (code-server 4.139.1, i.e.
// VS Code 1.139.1 in the browser) on a machine without VS Code.
//
//   node scripts/demo.mjs [--port N] [--dir PATH] [--with-fixture]
//
// Builds nothing itself (`npm run demo` runs `npm run package` first). Sets up
// code-server on first use (test/e2e/setup.sh), writes a small sample
// repository with a little history whose commits carry real AI-Provenance
// trailers (the hook installed with dist/cli.js, agent-written files labelled
// with `dist/cli.js mark`), installs the freshly built VSIX into a fresh
// profile and serves it on 127.0.0.1 only. Ctrl+C (or SIGTERM) stops
// code-server and everything it started, then prints `demo stopped`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  REPO_ROOT,
  DEFAULT_SETTINGS,
  ensureSetup,
  installExtension,
  startCodeServer,
} from '../test/e2e/codeServer.mjs';

const USAGE = `usage: node scripts/demo.mjs [--port N] [--dir PATH] [--with-fixture]

  --port N         serve on 127.0.0.1:N (default: a free port the OS picks)
  --dir PATH       keep the demo (sample repository, profile) in PATH and reuse
                   it next time (default: a fresh temp dir, removed on exit)
  --with-fixture   also install test/fixtures/ai-fixture, a deterministic fake AI
                   (inline completion after a line \`// @ai-next\`, and the
                   command "AI Fixture: Apply Chat Edit")`;

const say = (...a) => console.log('[demo]', ...a);

// ---------------------------------------------------------------- arguments

let opts;
try {
  opts = parseArgs({
    options: {
      port: { type: 'string' },
      dir: { type: 'string' },
      'with-fixture': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  }).values;
} catch (err) {
  console.error(`${err.message}\n\n${USAGE}`);
  process.exit(2);
}
if (opts.help) {
  console.log(USAGE);
  process.exit(0);
}
let port = 0;
if (opts.port !== undefined) {
  port = Number(opts.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    console.error(`--port must be a port number (1-65535), not ${JSON.stringify(opts.port)}`);
    process.exit(2);
  }
}

// ---------------------------------------------------------------- what we need

const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
const VSIX = path.join(REPO_ROOT, `${pkg.name}-${pkg.version}.vsix`);
const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');
for (const f of [VSIX, CLI]) {
  if (!fs.existsSync(f)) {
    console.error(`${path.relative(REPO_ROOT, f)} is missing: run \`npm run package\` first (\`npm run demo\` does).`);
    process.exit(1);
  }
}

/** Where setup.sh puts code-server: it prints it, but we want to know *before* whether it will take minutes. */
function setupIsComplete() {
  const script = fs.readFileSync(path.join(REPO_ROOT, 'test', 'e2e', 'setup.sh'), 'utf8');
  const version = /^CS_VERSION=(\S+)/m.exec(script)?.[1];
  const cache = process.env.AI_PROVENANCE_CACHE || path.join(os.homedir(), '.cache', 'ai-provenance');
  return { done: !!version && fs.existsSync(path.join(cache, `code-server-${version}`, '.complete')), version, cache };
}

const setup = setupIsComplete();
if (!setup.done) {
  say(`first use: installing code-server ${setup.version} (VS Code 1.139.1) and Node 24 into ${setup.cache}`);
  say('this takes several minutes, once; later runs start in seconds');
}
let csDir;
try {
  csDir = ensureSetup(); // setup.sh's progress goes to stderr
} catch (err) {
  console.error(`[demo] setting up code-server failed: ${err.message}`);
  process.exit(1);
}

// ---------------------------------------------------------------- stopping

let demoDir; // set below
let removeDemoDir = false;
let serverPromise;
let stopping = false;

async function shutdown(reason, exitCode) {
  if (stopping) return;
  stopping = true;
  if (reason) say(reason);
  const server = serverPromise ? await serverPromise.catch(() => undefined) : undefined;
  if (server) await server.stop(); // SIGTERM to its process group and every descendant, SIGKILL after 3 s
  if (removeDemoDir && demoDir) {
    try { fs.rmSync(demoDir, { recursive: true, force: true }); } catch { /* best effort */ }
  }
  console.log(exitCode === 0 ? 'demo stopped' : 'demo stopped (code-server failed)');
  process.exit(exitCode);
}
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => { shutdown(`${sig}: stopping code-server…`, 0); });
}
// `kill <npm's pid>`: npm forwards SIGTERM to its `sh -c`, which dies of it and
// leaves us running with no parent. Stop then too, rather than serve as an orphan.
const parentPid = process.ppid;
setInterval(() => {
  if (process.ppid !== parentPid) shutdown(`parent process ${parentPid} went away: stopping code-server…`, 0);
}, 1000).unref();

// ---------------------------------------------------------------- demo dir

if (opts.dir) {
  demoDir = path.resolve(opts.dir);
  fs.mkdirSync(demoDir, { recursive: true });
  const entries = fs.readdirSync(demoDir);
  if (entries.length > 0 && !entries.includes('.ai-provenance-demo')) {
    console.error(`[demo] ${demoDir} is not empty and not a demo dir made by this script; pick another --dir`);
    process.exit(1);
  }
} else {
  demoDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ai-provenance-demo-'));
  removeDemoDir = true;
}
fs.writeFileSync(path.join(demoDir, '.ai-provenance-demo'), 'made by scripts/demo.mjs of AI Provenance\n');
const repoDir = path.join(demoDir, 'tiny-cart');
const userDataDir = path.join(demoDir, 'user-data'); // code-server puts its xdg-data next to it
const extensionsDir = path.join(demoDir, 'extensions');

// ---------------------------------------------------------------- sample repository

/** Git for the sample: the demo author, no global or system config (no signing, templates or hooksPath of the user's). */
function gitEnv(date) {
  const env = {
    ...process.env,
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'Dana Demo',
    GIT_AUTHOR_EMAIL: 'dana@example.com',
    GIT_COMMITTER_NAME: 'Dana Demo',
    GIT_COMMITTER_EMAIL: 'dana@example.com',
    // the hook finds the node that runs this script first on PATH too
    PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}`,
  };
  if (date) env.GIT_AUTHOR_DATE = env.GIT_COMMITTER_DATE = date.toISOString();
  for (const k of Object.keys(env)) if (/^GIT_(DIR|WORK_TREE|INDEX_FILE)$/.test(k)) delete env[k];
  return env;
}

function run(cmd, args, { date, input } = {}) {
  const r = spawnSync(cmd, args, { cwd: repoDir, env: gitEnv(date), encoding: 'utf8', input });
  if (r.status !== 0) {
    throw new Error(`${path.basename(cmd)} ${args.join(' ')} failed (exit ${r.status ?? r.signal}):\n${r.stdout}${r.stderr}`);
  }
  return r.stdout;
}
const git = (args, o) => run('git', args, o);
/** The project's CLI, run by this very node (install-hook writes process.execPath into the hook). */
const cli = (args) => run(process.execPath, [CLI, ...args]);

function write(rel, text) {
  const abs = path.join(repoDir, rel);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, text);
}
function edit(rel, from, to) {
  const abs = path.join(repoDir, rel);
  const text = fs.readFileSync(abs, 'utf8');
  if (!text.includes(from)) throw new Error(`sample: ${rel} does not contain ${JSON.stringify(from)}`);
  fs.writeFileSync(abs, text.replace(from, to));
}
/** Labels what an agent just wrote, as an agent would (the lines its ledger does not know yet). */
const agentWrote = (...files) => cli(['mark', '--origin', 'ai-chat', '--tool', 'demo-agent', ...files]);
/** Labels what the person just typed (stands in for the editor recording their keystrokes). */
const personTyped = (...files) => cli(['mark', '--origin', 'typed', ...files]);

const hoursAgo = (h) => new Date(Date.now() - h * 3600_000);

function createSampleRepo() {
  fs.mkdirSync(repoDir, { recursive: true });
  git(['init', '-q', '-b', 'main']);
  git(['config', 'user.name', 'Dana Demo']);
  git(['config', 'user.email', 'dana@example.com']);

  // 1. Before AI Provenance was installed: no ledger, no hook, no trailer.
  write('README.md', `# tiny-cart

A tiny shopping-cart library: line items, a subtotal, discount codes.

\`\`\`sh
npm test
\`\`\`

This repository was generated by \`npm run demo\` of AI Provenance. Open
\`src/cart.js\`: the lines an agent just wrote (not committed yet) carry a
diamond in the gutter; hover their text to see why. \`git log\` shows the
\`AI-Provenance\` trailers of earlier commits.
`);
  write('package.json', `{
  "name": "tiny-cart",
  "version": "0.1.0",
  "private": true,
  "main": "src/cart.js",
  "scripts": {
    "test": "node --test"
  }
}
`);
  write('.gitignore', 'node_modules/\n');
  write('src/cart.js', `'use strict';

/** A cart holds line items: { sku, name, priceCents, qty }. */
function createCart() {
  return { items: [] };
}

function addItem(cart, item) {
  const existing = cart.items.find((i) => i.sku === item.sku);
  if (existing) existing.qty += item.qty;
  else cart.items.push({ ...item });
  return cart;
}

function subtotal(cart) {
  return cart.items.reduce((sum, i) => sum + i.priceCents * i.qty, 0);
}

module.exports = { createCart, addItem, subtotal };
`);
  write('test/cart.test.js', `'use strict';
const test = require('node:test');
const assert = require('node:assert');
const { createCart, addItem, subtotal } = require('../src/cart');

test('subtotal adds up line items', () => {
  const cart = createCart();
  addItem(cart, { sku: 'tea', name: 'Green tea', priceCents: 450, qty: 2 });
  addItem(cart, { sku: 'mug', name: 'Mug', priceCents: 1200, qty: 1 });
  assert.strictEqual(subtotal(cart), 2100);
});
`);
  git(['add', '-A']);
  git(['commit', '-q', '-m', 'Start tiny-cart: line items and subtotal'], { date: hoursAgo(75) });

  // From here on the hook adds the trailer, as after "AI Provenance: Install Commit Hook".
  cli(['install-hook']);

  // 2. An agent writes discount.js; the person wires it into the cart by hand.
  write('src/discount.js', `'use strict';

// Discount codes and the percentage they take off the subtotal.
const CODES = {
  WELCOME10: 10,
  SPRING25: 25,
};

/** The discount, in cents, that \`code\` gives on \`subtotalCents\` (0 for an unknown code). */
function discountFor(code, subtotalCents) {
  const percent = CODES[String(code).trim().toUpperCase()];
  if (!percent) return 0;
  return (subtotalCents * percent) / 100;
}

module.exports = { CODES, discountFor };
`);
  agentWrote('src/discount.js');
  edit('src/cart.js', `'use strict';\n`, `'use strict';\nconst { discountFor } = require('./discount');\n`);
  edit('src/cart.js', `module.exports = { createCart, addItem, subtotal };`, `function total(cart, code) {
  const sub = subtotal(cart);
  return sub - discountFor(code, sub);
}

module.exports = { createCart, addItem, subtotal, total };`);
  personTyped('src/cart.js');
  git(['add', '-A']);
  git(['commit', '-q', '-m', 'Add percentage discount codes'], { date: hoursAgo(50) });

  // 3. The agent drafts the tests, the person adds an edge case; package.json
  //    edited outside the editor (no record: counts as unknown, never human).
  write('test/discount.test.js', `'use strict';
const test = require('node:test');
const assert = require('node:assert');
const { discountFor } = require('../src/discount');

test('known codes take their percentage off', () => {
  assert.strictEqual(discountFor('WELCOME10', 2000), 200);
  assert.strictEqual(discountFor('SPRING25', 2000), 500);
});

test('unknown codes give nothing', () => {
  assert.strictEqual(discountFor('NOPE', 2000), 0);
});
`);
  agentWrote('test/discount.test.js');
  fs.appendFileSync(path.join(repoDir, 'test/discount.test.js'), `
test('codes ignore case and spaces', () => {
  assert.strictEqual(discountFor(' welcome10 ', 1000), 100);
});
`);
  personTyped('test/discount.test.js');
  edit('package.json', `  "main": "src/cart.js",\n`, `  "main": "src/cart.js",\n  "engines": {\n    "node": ">=20"\n  },\n`);
  git(['add', '-A']);
  git(['commit', '-q', '-m', 'Test discount codes'], { date: hoursAgo(26) });

  // 4. The person fixes a line the agent wrote (fractions of a cent).
  edit('src/discount.js', 'return (subtotalCents * percent) / 100;', 'return Math.round((subtotalCents * percent) / 100);');
  personTyped('src/discount.js');
  git(['commit', '-q', '-a', '-m', 'Round discounts to whole cents'], { date: hoursAgo(3) });

  // Not committed: the agent just added removeItem() to the cart.
  edit('src/cart.js', `function subtotal(cart) {`, `function removeItem(cart, sku) {
  cart.items = cart.items.filter((i) => i.sku !== sku);
  return cart;
}

function subtotal(cart) {`);
  edit('src/cart.js', `module.exports = { createCart, addItem, subtotal, total };`, `module.exports = { createCart, addItem, removeItem, subtotal, total };`);
  agentWrote('src/cart.js');
}

/** `git log` of the sample: one line per commit, its trailers indented below. */
function gitLogExcerpt() {
  const out = git(['log', '--format=%x1e%h %s (%an, %ar)%x1f%(trailers:key=AI-Provenance)%(trailers:key=Assisted-by)']);
  return out.split('\x1e').filter(Boolean).map((rec) => {
    const [head, trailers = ''] = rec.split('\x1f');
    const lines = trailers.split('\n').filter((l) => l.trim() !== '');
    return [head.trim(), ...(lines.length ? lines : ['(no trailer: committed before the hook was installed)']).map((l) => `    ${l}`)].join('\n');
  }).join('\n');
}

// ---------------------------------------------------------------- profile

/**
 * The demo profile looks like a normal user's: none of the test profile's
 * typing determinism (auto-closing, suggestions, format-on-paste, hot exit…
 * all at VS Code's defaults). Off: what phones home or steals the first
 * screen. Workspace trust: off (code-server runs with --disable-workspace-trust
 * as the tests do): the sample repository was just generated here, and the
 * extension's commit-hook commands are only offered in trusted workspaces.
 */
const DEMO_SETTINGS = {
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true, // recommendations query the gallery
  'workbench.enableExperiments': false, // experiments are fetched from the network
  'workbench.startupEditor': 'readme', // the sample's README says what to look at
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'security.workspace.trust.enabled': false,
  // VS Code's own Chat needs a GitHub sign-in and the network; no AI provider
  // runs here, and its setup view only gets in the way of the demo.
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden', // it would only hold the (disabled) Chat
  // TypeScript's automatic type acquisition and package.json hovers fetch from the npm
  // registry (ATA also writes ~/.cache/typescript): nothing leaves loopback.
  'typescript.disableAutomaticTypeAcquisition': true,
  'npm.fetchOnlinePackageInfo': false,
  'git.autofetch': false,
  'git.openRepositoryInParentFolders': 'never',
};

// ---------------------------------------------------------------- main

async function main() {
  const reuse = fs.existsSync(path.join(repoDir, '.git'));
  if (reuse) {
    say(`reusing the sample repository in ${repoDir}`);
  } else {
    say(`creating the sample repository ${repoDir}`);
    createSampleRepo();
  }

  const vsixes = [VSIX];
  if (opts['with-fixture']) {
    const { buildFixtureVsix } = await import('../test/e2e/fixture.mjs');
    vsixes.push(buildFixtureVsix(path.join(demoDir, 'vsix')));
  }
  for (const v of vsixes) {
    say(`installing ${path.basename(v)}`);
    installExtension(v, { userDataDir, extensionsDir, csDir });
  }
  if (stopping) return;

  say('starting code-server…');
  const t0 = Date.now();
  serverPromise = startCodeServer({
    workspace: repoDir,
    userDataDir,
    extensionsDir,
    csDir,
    port,
    baseSettings: {},
    settings: DEMO_SETTINGS,
    // no extension gallery (open-vsx): the workbench would query it for updates; nothing leaves loopback
    // caches of what code-server starts (tsserver, terminals) go to the demo dir, not ~/.cache
    // and the integrated terminal's shell history stays there too
    env: {
      EXTENSIONS_GALLERY: '{}',
      XDG_CACHE_HOME: path.join(demoDir, 'xdg-cache'),
      HISTFILE: path.join(demoDir, 'shell-history'),
    },
  });
  const server = await serverPromise;
  if (stopping) return;
  const startedIn = Date.now() - t0;

  server.proc.once('exit', (code, sig) => {
    if (stopping) return;
    const tail = server.output().split('\n').filter((l) => l.trim() !== '').slice(-25).join('\n');
    console.error(`[demo] code-server exited on its own (${code ?? sig}); its last output:\n${tail}`);
    shutdown(undefined, 1);
  });

  // ?folder= opens the sample; payload openFile (VS Code web's workbench) opens src/cart.js in it.
  // Percent-encoded but for : and /, so the line stays readable and terminals link all of it.
  const q = (s) => encodeURIComponent(s).replace(/%2F/g, '/').replace(/%3A/g, ':');
  const openFile = JSON.stringify([['openFile', `vscode-remote://${repoDir.split(path.sep).join('/')}/src/cart.js`]]);
  const url = `${server.url}/?folder=${q(repoDir)}&payload=${q(openFile)}`;
  console.log(`
Sample repository (${path.relative(demoDir, repoDir)}), \`git log\` with its trailers:
${gitLogExcerpt().replace(/^/gm, '  ')}
${reuse ? `Not committed (git status --short):\n${git(['status', '--short']).trimEnd().replace(/^/gm, '  ') || '  nothing'}` : 'Not committed yet: src/cart.js, where an agent just added removeItem().'}

What to try:
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
${opts['with-fixture']
    ? `  - Fake AI (ai-fixture installed): on a new line type  // @ai-next  then Enter: the ghost text
    "const b = 2; const c = 3;" appears (or Alt+\\); Tab accepts it, recorded as ai-completion.
    F1 "AI Fixture: Apply Chat Edit" inserts two lines the way a chat/agent edit does.`
    : `  - No AI extension is installed, so no inline completion is offered. For a deterministic
    fake AI run  npm run demo -- --with-fixture : after a line  // @ai-next  it offers
    "const b = 2; const c = 3;" (Tab accepts), and adds "AI Fixture: Apply Chat Edit".`}

code-server started in ${(startedIn / 1000).toFixed(1)} s (VS Code 1.139.1, --auth none, listening on 127.0.0.1 only: loopback, no password).
Demo dir: ${demoDir}${removeDemoDir ? ' (removed on exit; --dir PATH keeps one)' : ' (kept)'}
Stop with Ctrl+C.

AI Provenance demo: open ${url}
`);
}

main().catch((err) => {
  console.error(`[demo] ${err.stack || err.message}`);
  shutdown(undefined, 1);
});
