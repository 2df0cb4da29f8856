// End-to-end runner, no mocha:  node test/e2e/run.mjs
//
// Starts code-server (VS Code 1.139.1) on a fresh temp git repository, drives
// it with playwright-core + Debian's Chromium and checks what lands on disk.
// Extensions installed: the fixture "AI" (test/fixtures/ai-fixture), and the
// extension under test (its packaged VSIX).
//
// Env:
//   AI_PROVENANCE_VSIX   the extension's VSIX (default: ai-provenance-<version>.vsix in the repo root)
//   E2E_TIMEOUT_MS       hard overall timeout (default 360000 = 6 min)
//   E2E_KEEP=1           keep the whole temp dir (default: only artifacts/ is kept)
//   E2E_HEADED=1         show the browser (needs a display)
//   E2E_ONLY=<text>      run only the scenarios whose name contains <text>
//
// Progress goes to stderr; the last stdout line is "e2e: N passed, M failed".
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  HEADLESS_SETTINGS, REPO_ROOT, SELECTORS, activeEditor, collectConsole, ensureSetup, focusEditor, ghostText,
  gutterDecoratedLines, hoverText, installExtension, launchBrowser, log, notificationMessages, openFile, openWorkbench,
  runCleanupsSync, runCommand, saveFile, setClipboard, sleep, startCodeServer, visibleEditorText,
  waitForGhostText,
} from './codeServer.mjs';
import { buildFixtureVsix } from './fixture.mjs';

const HARD_TIMEOUT_MS = Number(process.env.E2E_TIMEOUT_MS) || 6 * 60_000;
const KEEP = process.env.E2E_KEEP === '1';
const T0 = Date.now();
const since = () => `${((Date.now() - T0) / 1000).toFixed(1)}s`;

const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'ai-provenance-e2e-'));
const ARTIFACTS = path.join(TMP, 'artifacts');
fs.mkdirSync(ARTIFACTS, { recursive: true });

const counts = { passed: 0, failed: 0 };
/** What has to be closed at the end, most recent first. */
const open = { browser: null, server: null, page: null, consoleLines: [] };

class StepFailed extends Error {}
/** Set on hard timeout or SIGINT/SIGTERM: we are tearing down, later errors are consequences. */
let aborted = false;

/** One checked step: logs, counts, and on failure saves a screenshot + console lines, then throws. */
async function step(name, fn) {
  log(`▶ ${name}  [${since()}]`);
  const t = Date.now();
  try {
    const r = await fn();
    counts.passed++;
    log(`  ✔ ${name} (${Date.now() - t} ms)`);
    return r;
  } catch (err) {
    if (aborted) throw new StepFailed(name); // timeout/signal already counted; the page was closed under us
    counts.failed++;
    log(`  ✘ ${name} (${Date.now() - t} ms)\n${err?.stack || err}`);
    await saveFailureArtifacts(name);
    throw new StepFailed(name);
  }
}

async function saveFailureArtifacts(name) {
  const slug = name.replace(/[^a-z0-9]+/gi, '-').toLowerCase().slice(0, 60);
  const png = path.join(ARTIFACTS, `FAILED-${slug}.png`);
  const txt = path.join(ARTIFACTS, `FAILED-${slug}.console.txt`);
  try {
    if (open.page) await open.page.screenshot({ path: png, timeout: 10_000 });
    log(`  screenshot: ${png}`);
  } catch (e) { log(`  (no screenshot: ${e.message})`); }
  try {
    fs.writeFileSync(txt, open.consoleLines.slice(-200).join('\n') + '\n');
    log(`  last page console lines: ${txt}`);
  } catch { /* ignore */ }
  try {
    if (open.server) {
      const srv = path.join(ARTIFACTS, `FAILED-${slug}.code-server.txt`);
      fs.writeFileSync(srv, open.server.output());
      log(`  code-server output: ${srv}`);
    }
  } catch { /* ignore */ }
}

function git(cwd, ...args) {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** A temp git repository with one committed file src/app.js = "// app\n". */
function makeRepo(dir) {
  fs.mkdirSync(path.join(dir, 'src'), { recursive: true });
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.name', 'E2E Test');
  git(dir, 'config', 'user.email', 'e2e@example.invalid');
  git(dir, 'config', 'commit.gpgsign', 'false');
  fs.writeFileSync(path.join(dir, 'src', 'app.js'), '// app\n');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'initial');
  return dir;
}

async function waitFor(what, cond, { timeout = 10_000, interval = 100 } = {}) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    last = await cond();
    if (last) return last;
    if (Date.now() > end) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await sleep(interval);
  }
}

/**
 * Brings up a fresh workbench on a fresh repo: code-server with its own
 * user-data dir, the given extensions, a browser page on the folder.
 */
async function bringUp(name, { vsixes, oracleLog, settings = {}, baseSettings }) {
  const root = path.join(TMP, name);
  const repo = makeRepo(path.join(root, 'repo'));
  const userDataDir = path.join(root, 'user-data');
  const extensionsDir = path.join(root, 'extensions');
  await step('install extensions', async () => {
    for (const v of vsixes) log(`  ${installExtension(v, { userDataDir, extensionsDir }).split('\n').pop()}`);
  });
  const server = await step('start code-server', async () => {
    const s = await startCodeServer({
      workspace: repo, userDataDir, extensionsDir, baseSettings,
      settings: { 'aiFixture.logFile': oracleLog, ...settings },
    });
    log(`  listening on ${s.url}`);
    return s;
  });
  open.server = server;
  const { browser, page } = await launchBrowser({ headless: process.env.E2E_HEADED !== '1' });
  open.browser = browser;
  open.page = page;
  open.consoleLines = collectConsole(page);
  await step('open workbench', () => openWorkbench(page, server.url, repo, { statusText: 'ai-fixture: ready' }));
  return { root, repo, page, server, browser };
}

// ---------------------------------------------------------------- scenarios

/**
 * Typed lines, an accepted inline completion and a paste end up on disk
 * exactly. Extend by adding `await step(...)` calls at the end.
 */
async function scenarioTypedAiPaste({ vsixes, editSourceApi, commitVia }) {
  const name = editSourceApi ? 'edit-source-api' : 'stable-api';
  const oracleLog = path.join(TMP, name, 'oracle.jsonl');
  const { repo, page } = await bringUp(name, {
    vsixes,
    oracleLog,
    settings: {
      'provenance.useEditSourceApi': editSourceApi,
      // For the screenshot: the hover opens below the line, and no squiggles under the pasted prose.
      'editor.hover.above': false,
      'javascript.validate.enable': false,
    },
  });
  const appJs = path.join(repo, 'src', 'app.js');

  // What must be on disk: the committed "// app\n", then (cursor at the end,
  // on the empty last line) three typed lines, the accepted completion, and
  // the pasted three lines, with no newline after the paste.
  const EXPECTED = [
    '// app',
    '// typed line one',
    'const a = 1;',
    '// @ai-next',
    'const b = 2;', // inline completion, line 1
    'const c = 3;', // inline completion, line 2
    'pasted one',
    'pasted two',
    'pasted three',
  ].join('\n');

  await step('open src/app.js', () => openFile(page, 'src/app.js'));

  await step('type three lines', async () => {
    await focusEditor(page);
    await page.keyboard.press('Control+End');
    for (const line of ['// typed line one', 'const a = 1;', '// @ai-next']) {
      await page.keyboard.type(line, { delay: 15 });
      await page.keyboard.press('Enter');
    }
    await waitFor('the typed lines to render', async () => (await visibleEditorText(page)).includes('// @ai-next'));
  });

  const COMPLETION = 'const b = 2;\nconst c = 3;';
  await step('inline suggestion shows ghost text', async () => {
    // Typing Enter usually triggers it by itself; Alt+\ (bound by the harness's
    // keybindings.json: 1.139 has no default key) asks explicitly, so press it anyway.
    await page.keyboard.press('Alt+Backslash');
    try {
      await waitForGhostText(page, COMPLETION, { timeout: 8_000 });
    } catch {
      log('  (no ghost text after 8 s: Alt+\\ again)');
      await page.keyboard.press('Alt+Backslash');
      await waitForGhostText(page, COMPLETION, { timeout: 10_000 });
    }
  });

  await step('accept it with Tab', async () => {
    await page.keyboard.press('Tab');
    await waitFor('the ghost text to go', async () => (await ghostText(page)) === '');
    await waitFor('the completion to be in the text', async () => (await visibleEditorText(page)).includes(COMPLETION));
  });

  await step('paste three lines', async () => {
    await page.keyboard.press('Enter');
    await setClipboard(page, 'pasted one\npasted two\npasted three');
    await focusEditor(page); // setClipboard runs in the page; make sure keys still go to the editor
    await page.keyboard.press('Control+V');
    await waitFor('the paste to render', async () => (await visibleEditorText(page)).includes('pasted three'));
  });

  await step('save and check the file on disk', async () => {
    await saveFile(page);
    const onDisk = await waitFor('the file on disk', async () => {
      const s = fs.readFileSync(appJs, 'utf8');
      return s === EXPECTED ? s : null;
    }, { timeout: 5_000 }).catch(() => fs.readFileSync(appJs, 'utf8'));
    if (onDisk !== EXPECTED) {
      throw new Error(`src/app.js differs.\n--- expected ---\n${JSON.stringify(EXPECTED)}\n--- on disk ---\n${JSON.stringify(onDisk)}`);
    }
  });

  await step('oracle log labels the three kinds of edit', async () => {
    // the extension host writes the log asynchronously: wait for the paste to be in it
    const read = () => (fs.existsSync(oracleLog) ? fs.readFileSync(oracleLog, 'utf8') : '')
      .split('\n').filter(Boolean).map((l) => JSON.parse(l)).filter((e) => e.uri.endsWith('/src/app.js'));
    const entries = await waitFor('the paste in the oracle log',
      async () => { const e = read(); return e.some((x) => x.detailedReason?.metadata?.kind === 'paste') && e; },
      { timeout: 5_000 }).catch(read);
    const src = (e) => e.detailedReason?.source;
    const kind = (e) => e.detailedReason?.metadata?.kind;
    const text = (e) => e.changes.map((c) => c.text).join('');
    const typed = entries.filter((e) => src(e) === 'cursor' && kind(e) === 'type');
    const ai = entries.filter((e) => src(e) === 'inlineCompletionAccept');
    const pasted = entries.filter((e) => src(e) === 'cursor' && kind(e) === 'paste');
    if (typed.length < 20) throw new Error(`expected many typed changes, got ${typed.length}`);
    if (ai.length !== 1 || text(ai[0]) !== 'const b = 2;\nconst c = 3;') throw new Error(`inline accept: ${JSON.stringify(ai)}`);
    if (pasted.length !== 1 || text(pasted[0]) !== 'pasted one\npasted two\npasted three') throw new Error(`paste: ${JSON.stringify(pasted)}`);
    log(`  ${entries.length} changes: ${typed.length} typed, 1 inline accept, 1 paste`);
  });

  // ---- AI Provenance itself: gutter, hover, ledger, hook, trailer.
  // Lines (1-based): 1 committed, 2-4 typed, 5-6 accepted completion, 7-9 pasted from outside.
  await step('gutter marks exactly the AI lines', async () => {
    const lines = await waitFor('gutter icons on lines 5-9', async () => {
      const l = await gutterDecoratedLines(page);
      return l.join(',') === '5,6,7,8,9' ? l : null;
    }, { timeout: 10_000 }).catch(async () => gutterDecoratedLines(page));
    if (lines.join(',') !== '5,6,7,8,9') throw new Error(`gutter icons on lines ${JSON.stringify(lines)}, expected [5,6,7,8,9]`);
  });

  await step('hover on a pasted line says where it came from and how sure', async () => {
    const hover = await hoverText(page, 8, { hasText: 'AI Provenance' });
    for (const want of ['AI-written line', 'Pasted from outside the editor', 'likely']) {
      if (!hover.includes(want)) throw new Error(`hover lacks "${want}": ${JSON.stringify(hover)}`);
    }
  });

  await step('hover on a completed line says AI inline completion, certain', async () => {
    const hover = await hoverText(page, 5, { hasText: 'AI Provenance' });
    const detail = editSourceApi ? 'VS Code reported an inline suggestion accept' : 'accept command intercepted';
    for (const want of ['AI-written line', 'AI inline completion', 'certain', detail]) {
      if (!hover.includes(want)) throw new Error(`hover lacks "${want}": ${JSON.stringify(hover)}`);
    }
    await page.mouse.move(5, 5);
    await page.keyboard.press('Escape');
  });

  if (!editSourceApi) {
    await step('screenshot of the gutter and a hover for the README', async () => {
      await hoverText(page, 9, { hasText: 'AI Provenance' });
      const images = path.join(REPO_ROOT, 'docs', 'images');
      fs.mkdirSync(images, { recursive: true });
      const png = path.join(images, 'gutter.png');
      const box = await activeEditor(page).boundingBox();
      // Clip below our hover block: the TypeScript extension's hover under it never finishes loading offline.
      const ours = await page.locator(SELECTORS.hoverContents, { hasText: 'AI Provenance' }).first().boundingBox();
      const height = Math.min(300, Math.round(ours.y + ours.height + 4 - box.y));
      await page.screenshot({ path: png, clip: { x: box.x, y: box.y, width: Math.min(box.width, 760), height } });
      log(`  screenshot: ${png}`);
      await page.mouse.move(5, 5);
      await page.keyboard.press('Escape');
    });
  }

  await step('Toggle Gutter Marks hides and shows the marks', async () => {
    await runCommand(page, 'AI Provenance: Toggle Gutter Marks');
    await waitFor('the marks to go', async () => (await gutterDecoratedLines(page)).length === 0);
    await runCommand(page, 'AI Provenance: Toggle Gutter Marks');
    await waitFor('the marks to come back', async () => (await gutterDecoratedLines(page)).join(',') === '5,6,7,8,9');
  });

  await step('no hover on a typed line', async () => {
    const hover = await hoverText(page, 3, { timeout: 2_000 }).catch(() => '');
    if (hover.includes('AI Provenance')) throw new Error(`typed line has a provenance hover: ${JSON.stringify(hover)}`);
    await page.mouse.move(5, 5);
    await page.keyboard.press('Escape');
  });

  const ledgerDir = path.join(repo, git(repo, 'rev-parse', '--git-path', 'ai-provenance'));
  await step('the ledger was written on save, under the git directory', async () => {
    await waitFor('a ledger file', async () => {
      const dir = path.join(ledgerDir, 'v1', 'files');
      return fs.existsSync(dir) && fs.readdirSync(dir).some((f) => f.endsWith('.json'));
    }, { timeout: 10_000 });
    if (git(repo, 'status', '--porcelain', '--untracked-files=all').split('\n').some((l) => l.includes('ai-provenance'))) {
      throw new Error('the ledger leaked into the work tree');
    }
  });

  await step('the one-time offer to install the commit hook appeared (not modal)', async () => {
    // It came up when the repository was first seen; toasts without progress hide
    // themselves after a while, so look in the notification centre.
    await runCommand(page, 'Notifications: Show Notifications');
    const centre = page.locator('.notifications-center .notification-list-item-message');
    await waitFor('the offer', async () => (await centre.allTextContents()).some((m) => m.includes('Install its commit hook?')), { timeout: 10_000 });
    await runCommand(page, 'Notifications: Hide Notifications');
  });

  await step('install the commit hook from the command palette', async () => {
    await focusEditor(page);
    await runCommand(page, 'AI Provenance: Install Commit Hook');
    const hook = path.join(repo, git(repo, 'rev-parse', '--git-path', 'hooks'), 'prepare-commit-msg');
    await waitFor('the hook file', async () => fs.existsSync(hook) && fs.readFileSync(hook, 'utf8').includes('ai-provenance-hook'), { timeout: 10_000 });
    await waitFor('the confirmation', async () => (await notificationMessages(page)).some((m) => m.includes('commit hook installed')), { timeout: 10_000 });
  });

  const TRAILER = 'v=1 lines=8 ai=5 mixed=0 human=3 unknown=0 ai-completion=2 ai-paste=3';
  git(repo, 'add', '-A');

  await step('Show Commit Provenance previews the trailer for what is staged', async () => {
    await runCommand(page, 'AI Provenance: Show Commit Provenance');
    await waitFor('the preview', async () => (await visibleEditorText(page)).includes(`AI-Provenance: ${TRAILER}`), { timeout: 10_000 });
    const text = await visibleEditorText(page);
    if (!text.includes('src/app.js')) throw new Error(`preview lacks the per-file row: ${JSON.stringify(text)}`);
    await page.keyboard.press('Control+W');
  });

  if (commitVia === 'terminal') {
    await step('git commit in a terminal', async () => {
      git(repo, 'commit', '-q', '-m', 'Add totals');
    });
  } else {
    await step('commit from the Source Control view', async () => {
      await runCommand(page, 'Source Control: Focus on Changes View');
      // Wait until the git extension sees the staged file, or it offers to stage everything itself.
      await page.locator('.scm-view').getByText('Staged Changes').first().waitFor({ timeout: 20_000 });
      const input = page.locator('.scm-view .scm-editor .monaco-editor').first();
      await input.click();
      await page.keyboard.type('Add totals');
      await page.keyboard.press('Control+Enter');
      await waitFor('the commit', async () => git(repo, 'log', '-1', '--format=%s') === 'Add totals', { timeout: 20_000 });
    });
  }

  await step('the commit carries the exact trailer, once', async () => {
    const value = git(repo, 'log', '-1', '--format=%(trailers:key=AI-Provenance,valueonly)');
    const message = git(repo, 'log', '-1', '--format=%B');
    log(`  commit message:\n${message.split('\n').map((l) => `    ${l}`).join('\n')}`);
    if (value !== TRAILER) throw new Error(`trailer ${JSON.stringify(value)}, expected ${JSON.stringify(TRAILER)}`);
    if (message.split('\n').filter((l) => l.startsWith('AI-Provenance:')).length !== 1) throw new Error('trailer not exactly once');
    // A tool is named only when it was identified: VS Code's own label names the extension
    // whose suggestion was accepted; the stable path cannot know it and must not guess.
    const assisted = git(repo, 'log', '-1', '--format=%(trailers:key=Assisted-by,valueonly)');
    const wantAssisted = editSourceApi ? 'ai-provenance-tests.ai-fixture' : '';
    if (assisted !== wantAssisted) throw new Error(`Assisted-by ${JSON.stringify(assisted)}, expected ${JSON.stringify(wantAssisted)}`);
  });

  await step('amending replaces the trailer instead of adding a second', async () => {
    git(repo, 'commit', '-q', '--amend', '--no-edit');
    const message = git(repo, 'log', '-1', '--format=%B');
    const found = message.split('\n').filter((l) => l.startsWith('AI-Provenance:'));
    if (found.length !== 1) throw new Error(`after amend: ${JSON.stringify(message)}`);
  });
}

/**
 * The review workflow and persistence: status bar and file report, Mark as
 * Reviewed, a window reload, another program writing the file and an agent
 * labelling that write with `ai-provenance mark`, the commit's trailer, and
 * marks clearing once the lines are committed.
 */
async function scenarioReviewAndPersistence({ vsixes }) {
  const oracleLog = path.join(TMP, 'review', 'oracle.jsonl');
  const { repo, page, server } = await bringUp('review', {
    vsixes,
    oracleLog,
    settings: { 'provenance.useEditSourceApi': false, 'provenance.commitHook': 'never', 'editor.hover.above': false, 'javascript.validate.enable': false },
  });
  const appJs = path.join(repo, 'src', 'app.js');
  const cli = path.join(REPO_ROOT, 'dist', 'cli.js');
  const images = path.join(REPO_ROOT, 'docs', 'images');
  fs.mkdirSync(images, { recursive: true });
  const statusItem = page.locator('.part.statusbar .statusbar-item', { hasText: /^AI \d+%$/ });

  await step('type a line, accept a completion, save', async () => {
    await openFile(page, 'src/app.js');
    await focusEditor(page);
    await page.keyboard.press('Control+End');
    for (const line of ['const a = 1;', '// @ai-next']) {
      await page.keyboard.type(line, { delay: 15 });
      await page.keyboard.press('Enter');
    }
    await page.keyboard.press('Alt+Backslash');
    await waitForGhostText(page, 'const b = 2;\nconst c = 3;', { timeout: 10_000 });
    await page.keyboard.press('Tab');
    await waitFor('the completion in the text', async () => (await visibleEditorText(page)).includes('const c = 3;'));
    await saveFile(page);
    await waitFor('the gutter', async () => (await gutterDecoratedLines(page)).join(',') === '4,5');
  });

  await step('status bar shows the AI share, with its breakdown; screenshot', async () => {
    // 2 of the 4 changed non-blank lines hold AI text.
    await waitFor('"AI 50%" in the status bar', async () => (await statusItem.count()) > 0 && (await statusItem.first().innerText()).trim() === 'AI 50%', { timeout: 10_000 }).catch(async (e) => {
      throw new Error(`${e.message}; it says ${JSON.stringify(await statusItem.allInnerTexts())}`);
    });
    await statusItem.hover();
    const tip = page.locator('.monaco-hover, .workbench-hover').filter({ hasText: 'changed non-blank line' }).first();
    await tip.waitFor({ timeout: 10_000 });
    const tipText = await tip.innerText();
    for (const want of ['4 changed non-blank lines', 'AI-written', 'human']) if (!tipText.includes(want)) throw new Error(`tooltip lacks ${want}: ${tipText}`);
    const t = await tip.boundingBox();
    const bar = await page.locator('.part.statusbar').boundingBox();
    const x = Math.max(0, Math.min(t.x, bar.width - 520) - 10);
    await page.screenshot({ path: path.join(images, 'status-bar.png'), clip: { x, y: t.y - 10, width: Math.min(560, bar.width - x), height: bar.y + bar.height - t.y + 10 } });
    await page.mouse.move(5, 5);
  });

  await step('Show File Report lists the blocks with their origins; screenshot', async () => {
    await statusItem.click();
    const report = page.locator('.editor-group-container', { hasText: 'AI Provenance: src/app.js' }).first();
    const wants = ['AI share 50%', 'AI inline completion', 'Lines 4–5'];
    const text = await waitFor('the report text', async () => {
      // Word wrap splits long lines: compare with white space folded.
      const t = (await report.count()) ? (await report.innerText()).replace(/\s+/g, ' ') : '';
      return wants.every((w) => t.includes(w)) ? t : null;
    }, { timeout: 10_000 }).catch(async (e) => {
      throw new Error(`${e.message}: ${(await report.count()) ? await report.innerText() : '(no report editor)'}`);
    });
    log(`  report: ${JSON.stringify(text.slice(0, 160))}…`);
    await report.screenshot({ path: path.join(images, 'file-report.png') });
    await page.keyboard.press('Control+W');
  });

  await step('Mark Selection as Reviewed records who, and the hover says so', async () => {
    await openFile(page, 'src/app.js');
    await focusEditor(page);
    await page.keyboard.press('Control+G');
    await page.locator('.quick-input-widget .quick-input-box input').waitFor({ state: 'visible' });
    await page.keyboard.type('4');
    await page.keyboard.press('Enter');
    await runCommand(page, 'AI Provenance: Mark Selection as Reviewed');
    const hover = await hoverText(page, 4, { hasText: 'reviewed by' });
    if (!hover.includes('reviewed by E2E Test')) throw new Error(`hover: ${hover}`);
    const other = await hoverText(page, 5, { hasText: 'AI Provenance' });
    if (other.includes('reviewed by')) throw new Error(`line 5 was not selected but says reviewed: ${other}`);
    await page.mouse.move(5, 5);
    await page.keyboard.press('Escape');
  });

  await step('origins and the review survive a window reload', async () => {
    await runCommand(page, 'Developer: Reload Window');
    await openWorkbench(page, server.url, repo, { statusText: 'ai-fixture: ready' });
    await openFile(page, 'src/app.js');
    await waitFor('the gutter after the reload', async () => (await gutterDecoratedLines(page)).join(',') === '4,5', { timeout: 15_000 });
    const hover = await hoverText(page, 4, { hasText: 'AI Provenance' });
    if (!hover.includes('reviewed by E2E Test') || !hover.includes('AI inline completion')) throw new Error(`after reload: ${hover}`);
    await page.mouse.move(5, 5);
    await page.keyboard.press('Escape');
  });

  await step('another program writes the file; its agent labels the write with ai-provenance mark', async () => {
    fs.appendFileSync(appJs, '\nconst d = 4;\nconst e = 5;\n');
    await waitFor('the reload', async () => (await visibleEditorText(page)).includes('const e = 5;'), { timeout: 15_000 });
    const out = execFileSync(process.execPath, [cli, 'mark', '--origin', 'ai-chat', '--tool', 'e2e-agent', 'src/app.js'], { cwd: repo, encoding: 'utf8' });
    log(`  ${out.trim()}`);
    await waitFor('the agent lines marked', async () => (await gutterDecoratedLines(page)).join(',') === '4,5,6,7', { timeout: 15_000 });
    const hover = await waitFor('the agent named in the hover', async () => {
      const h = await hoverText(page, 6, { hasText: 'AI Provenance' }).catch(() => '');
      return h.includes('AI chat or agent by e2e-agent') ? h : null;
    }, { timeout: 10_000 });
    log(`  hover on line 6: ${JSON.stringify(hover.split('\n')[1])}`);
    await page.mouse.move(5, 5);
    await page.keyboard.press('Escape');
  });

  const TRAILER = 'v=1 lines=6 ai=4 mixed=0 human=2 unknown=0 ai-completion=2 ai-chat=2 reviewed=1';
  await step('the commit counts the reviewed line and names the agent', async () => {
    execFileSync(process.execPath, [cli, 'install-hook'], { cwd: repo, encoding: 'utf8' });
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'Agent work, partly reviewed');
    const value = git(repo, 'log', '-1', '--format=%(trailers:key=AI-Provenance,valueonly)');
    const assisted = git(repo, 'log', '-1', '--format=%(trailers:key=Assisted-by,valueonly)');
    log(`  AI-Provenance: ${value}\n  Assisted-by: ${assisted}`);
    if (value !== TRAILER) throw new Error(`trailer ${JSON.stringify(value)}, expected ${JSON.stringify(TRAILER)}`);
    if (assisted !== 'e2e-agent') throw new Error(`Assisted-by ${JSON.stringify(assisted)}`);
    const report = JSON.parse(execFileSync(process.execPath, [cli, 'report', 'HEAD~1..HEAD', '--json'], { cwd: repo, encoding: 'utf8' }));
    if (report.total.ai !== 4) throw new Error(`report: ${JSON.stringify(report.total)}`);
  });

  await step('after the commit the committed lines carry no marks', async () => {
    await waitFor('the marks to clear', async () => (await gutterDecoratedLines(page)).length === 0, { timeout: 15_000 });
    await waitFor('the status bar item to hide', async () => (await statusItem.count()) === 0, { timeout: 10_000 });
  });

  await step('a closed file written by another program: its changed lines become external, the rest keep their origins', async () => {
    await focusEditor(page);
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('// @ai-next', { delay: 15 });
    await page.keyboard.press('Enter');
    await page.keyboard.press('Alt+Backslash');
    await waitForGhostText(page, 'const b = 2;\nconst c = 3;', { timeout: 10_000 });
    await page.keyboard.press('Tab');
    await waitFor('the completion', async () => (await gutterDecoratedLines(page)).length === 2);
    await saveFile(page);
    const ledgerPath = (rel) => path.join(repo, git(repo, 'rev-parse', '--git-path', 'ai-provenance'), 'v1', 'files', `${createHash('sha1').update(rel).digest('hex')}.json`);
    const classes = () => JSON.parse(fs.readFileSync(ledgerPath('src/app.js'), 'utf8')).classes;
    const saved = await waitFor('the ledger of the save', async () => (/aa\.?$/.test(classes()) ? classes() : null), { timeout: 10_000 });
    await page.keyboard.press('Control+W');
    await page.waitForFunction(() => !document.querySelector('.tabs-container .tab[aria-label^="app.js"]'), null, { timeout: 10_000 });
    fs.appendFileSync(appJs, '\nconst generated = "by a tool";\n');
    const after = await waitFor('the watcher to record the write', async () => (classes() !== saved ? classes() : null), { timeout: 15_000 });
    log(`  ledger classes before: ${saved}, after: ${after}`);
    if (!/aa\.?u\.?$/.test(after)) throw new Error(`expected the AI lines kept and the new line unknown (external): ${after}`);
  });
}

/**
 * In-editor copy/paste and cut/paste as a person does them, with VS Code's
 * default editor settings: a copied typed line stays the person's, a cut and
 * pasted completion stays AI (issue 9, items 1 and 2).
 */
async function scenarioCopyPaste({ vsixes }) {
  const oracleLog = path.join(TMP, 'paste', 'oracle.jsonl');
  const { repo, page } = await bringUp('paste', {
    vsixes, oracleLog, baseSettings: HEADLESS_SETTINGS,
    // files.autoSave is 'afterDelay' by default on the web: with it the tracker takes the cut for a reload from
    // disk (the file's mtime moved while the buffer was dirty) and resets the document: a tracker bug, reported.
    settings: { 'provenance.useEditSourceApi': false, 'aiFixture.logEvents': true, 'files.autoSave': 'off' },
  });
  const appJs = path.join(repo, 'src', 'app.js');
  await step('open src/app.js', () => openFile(page, 'src/app.js'));

  await step('type p = 1, Shift+Home, Ctrl+C, End, Enter, Ctrl+V', async () => {
    await focusEditor(page);
    await page.keyboard.press('Control+End');
    await page.keyboard.type('p = 1', { delay: 20 });
    await page.keyboard.press('Escape'); // a suggestion list quick suggestions may have opened
    await page.keyboard.press('Shift+Home');
    await page.keyboard.press('Control+C');
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+V');
    await waitFor('the pasted line', async () => (await visibleEditorText(page)).includes('p = 1\np = 1'));
  });

  const COMPLETION = 'const b = 2;\nconst c = 3;';
  await step('accept an inline completion, cut it with Ctrl+X and paste it under the first line', async () => {
    await focusEditor(page);
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('// @ai-next', { delay: 15 });
    await page.keyboard.press('Enter');
    await page.keyboard.press('Alt+Backslash');
    await waitForGhostText(page, COMPLETION, { timeout: 10_000 }).catch(async () => {
      await page.keyboard.press('Alt+Backslash');
      await waitForGhostText(page, COMPLETION, { timeout: 10_000 });
    });
    await page.keyboard.press('Tab');
    await waitFor('the completion in the text', async () => (await visibleEditorText(page)).includes(COMPLETION));
    await page.keyboard.press('Shift+ArrowUp');
    await page.keyboard.press('Shift+Home');
    await page.keyboard.press('Control+X');
    await waitFor('the cut', async () => !(await visibleEditorText(page)).includes('const b'));
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+V');
    await waitFor('the pasted completion', async () => (await visibleEditorText(page)).includes(`// app\n${COMPLETION}`));
  });

  const EXPECTED = `// app\n${COMPLETION}\np = 1\np = 1\n// @ai-next\n`;
  await step('save: the file on disk is what was typed, cut and pasted', async () => {
    await saveFile(page);
    const onDisk = await waitFor('the file on disk', async () => (fs.readFileSync(appJs, 'utf8') === EXPECTED ? EXPECTED : null), { timeout: 5_000 })
      .catch(() => fs.readFileSync(appJs, 'utf8'));
    if (onDisk !== EXPECTED) throw new Error(`src/app.js: ${JSON.stringify(onDisk)}, expected ${JSON.stringify(EXPECTED)}`);
  });

  await step('the gutter marks only the pasted completion (lines 2-3)', async () => {
    const lines = await waitFor('gutter icons on lines 2-3', async () => {
      const l = await gutterDecoratedLines(page);
      return l.join(',') === '2,3' ? l : null;
    }, { timeout: 10_000 }).catch(async () => gutterDecoratedLines(page));
    if (lines.join(',') !== '2,3') throw new Error(`gutter icons on lines ${JSON.stringify(lines)}, expected [2,3]`);
  });

  await step('commit: the trailer counts the pasted line human and the moved completion ai-completion', async () => {
    await runCommand(page, 'AI Provenance: Install Commit Hook');
    const hook = path.join(repo, git(repo, 'rev-parse', '--git-path', 'hooks'), 'prepare-commit-msg');
    await waitFor('the hook file', async () => fs.existsSync(hook), { timeout: 10_000 });
    const ledger = path.join(repo, git(repo, 'rev-parse', '--git-path', 'ai-provenance'), 'v1', 'files');
    await waitFor('the ledger of the save', async () => fs.existsSync(ledger) && fs.readdirSync(ledger).some((f) => f.endsWith('.json')), { timeout: 10_000 });
    await sleep(1000); // the write of the last save lands
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'Copy and move');
    const value = git(repo, 'log', '-1', '--format=%(trailers:key=AI-Provenance,valueonly)');
    log(`  trailer: ${value}`);
    const want = 'v=1 lines=5 ai=2 mixed=0 human=3 unknown=0 ai-completion=2';
    if (value !== want) throw new Error(`trailer ${JSON.stringify(value)}, expected ${JSON.stringify(want)}`);
  });

  const providerPastes = () => fs.readFileSync(oracleLog, 'utf8').split('\n').filter((l) => l.includes('"t":"paste"')).map((l) => JSON.parse(l));
  await step("the fixture's copy id came with the Ctrl+V pastes: copy-time data reaches paste providers", async () => {
    const ids = providerPastes().map((p) => p.copyId);
    log(`  the fixture's copy ids seen at paste: ${JSON.stringify(ids)}`);
    if (ids.length !== 2 || !ids.every(Boolean)) throw new Error(`copy ids at paste: ${JSON.stringify(ids)}`);
  });

  await step('Paste from the Command Palette (no paste event on the web): the completion pasted again stays ai-completion', async () => {
    await focusEditor(page);
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await runCommand(page, 'Paste');
    await waitFor('the completion pasted from the palette', async () => (await visibleEditorText(page)).includes(`// @ai-next\n${COMPLETION}`));
    await sleep(500);
    log(`  paste providers called by the palette's Paste: ${providerPastes().length - 2} (the fixture's log)`);
    await saveFile(page);
    await waitFor('the file on disk', async () => fs.readFileSync(appJs, 'utf8').endsWith(COMPLETION), { timeout: 5_000 });
    await sleep(1500); // the ledger write of the save lands
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'Paste again');
    const value = git(repo, 'log', '-1', '--format=%(trailers:key=AI-Provenance,valueonly)');
    log(`  trailer: ${value}`);
    const want = 'v=1 lines=2 ai=2 mixed=0 human=0 unknown=0 ai-completion=2';
    if (value !== want) throw new Error(`trailer ${JSON.stringify(value)}, expected ${JSON.stringify(want)}`);
  });
}

const SCENARIOS = [
  {
    name: 'stable API: typed, completed and pasted lines are marked, and counted in the trailer of a terminal commit',
    run: (o) => scenarioTypedAiPaste({ ...o, editSourceApi: false, commitVia: 'terminal' }),
  },
  {
    name: "with VS Code's edit labels, committing from the Source Control view: the same counts, and the completion's tool is named",
    run: (o) => scenarioTypedAiPaste({ ...o, editSourceApi: true, commitVia: 'scm' }),
  },
  {
    name: 'status bar, file report, review, reload, an agent\'s write labelled with mark, trailer, marks cleared by the commit',
    run: scenarioReviewAndPersistence,
  },
  {
    name: 'default settings: copy/paste of a typed line stays human, cut/paste of a completion stays ai-completion',
    run: scenarioCopyPaste,
  },
];

// ---------------------------------------------------------------- main

async function closeAll() {
  const { browser, server } = open;
  open.page = null; open.browser = null; open.server = null;
  if (browser) await Promise.race([browser.close().catch(() => {}), sleep(10_000)]);
  if (server) await server.stop();
}

async function main() {
  log(`temp dir: ${TMP}`);
  const vsixes = await step('setup + build fixture VSIX', async () => {
    const dir = ensureSetup();
    log(`  code-server in ${dir}`);
    const list = [buildFixtureVsix(path.join(TMP, 'vsix'))];
    // The extension under test: $AI_PROVENANCE_VSIX, else the VSIX `npm run package` wrote.
    const { name, version } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
    const vsix = path.resolve(process.env.AI_PROVENANCE_VSIX || path.join(REPO_ROOT, `${name}-${version}.vsix`));
    if (!fs.existsSync(vsix)) throw new Error(`${vsix} does not exist: run \`npm run package\` first`);
    list.push(vsix);
    return list;
  });
  // E2E_ONLY=<text>: run only the scenarios whose name contains it (while iterating on one).
  for (const sc of SCENARIOS.filter((x) => !process.env.E2E_ONLY || x.name.includes(process.env.E2E_ONLY))) {
    log(`=== ${sc.name}`);
    try {
      await sc.run({ vsixes });
    } catch (err) {
      if (aborted) break;
      if (!(err instanceof StepFailed)) {
        counts.failed++;
        log(`  ✘ ${sc.name}: ${err?.stack || err}`);
        await saveFailureArtifacts(sc.name);
      }
    } finally {
      await closeAll();
    }
  }
}

let finished = false;
function finish(code) {
  if (finished) return;
  finished = true;
  const failed = counts.failed + (code && !counts.failed ? 1 : 0);
  log(`done in ${since()}; artifacts in ${ARTIFACTS}`);
  if (!KEEP && failed === 0) {
    for (const e of fs.readdirSync(TMP)) if (e !== 'artifacts') fs.rmSync(path.join(TMP, e), { recursive: true, force: true });
  }
  console.log(`e2e: ${counts.passed} passed, ${failed} failed`);
  process.exit(failed ? (code > 1 ? code : 1) : 0);
}

const hardTimer = setTimeout(async () => {
  log(`HARD TIMEOUT after ${HARD_TIMEOUT_MS} ms`);
  counts.failed++;
  aborted = true;
  await Promise.race([saveFailureArtifacts('hard-timeout'), sleep(15_000)]);
  await Promise.race([closeAll(), sleep(15_000)]);
  runCleanupsSync();
  finish(1);
}, HARD_TIMEOUT_MS);

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, async () => {
    log(`${sig}: stopping`);
    counts.failed++;
    aborted = true;
    await Promise.race([closeAll(), sleep(10_000)]);
    runCleanupsSync();
    finish(130);
  });
}

main().then(
  () => { if (aborted) return; clearTimeout(hardTimer); finish(0); },
  async (err) => {
    if (aborted) return; // the timeout/signal handler finishes
    clearTimeout(hardTimer);
    if (!(err instanceof StepFailed) && !aborted) { counts.failed++; log(err?.stack || err); }
    await closeAll();
    finish(1);
  },
);
