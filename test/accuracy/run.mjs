// Accuracy benchmark:  npm run bench:accuracy   (or: node test/accuracy/run.mjs after `npm run package`)
//
// Runs a scripted corpus of editing scenarios in code-server (VS Code 1.139.1)
// with `provenance.useEditSourceApi` off, and compares the extension's
// per-line classes (its ledger, written on save) with an oracle built from
// VS Code's own edit labels (`detailedReason`, logged by the fixture
// extension). See docs/accuracy.md.
//
// Env:
//   AI_PROVENANCE_VSIX   the extension's VSIX (default: ai-provenance-<version>.vsix in the repo root)
//   ACCURACY_ONLY        comma-separated scenario names to run (default: all)
//   ACCURACY_KEEP=1      keep the temp dir (repo, oracle log, ledgers)
//   ACCURACY_DETAILS=1   print every misclassified line (default: the first 15 per scenario)
//   ACCURACY_TIMEOUT_MS  hard timeout (default 15 min)
//
// Progress on stderr; the table on stdout, whose last line is
// `accuracy: lines=N correct=P% false-ai=K missed-ai=M`.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  REPO_ROOT, collectConsole, ensureSetup, focusEditor, ghostText, installExtension, launchBrowser, openFile,
  openWorkbench, runCleanupsSync, runCommand, setClipboard, sleep, startCodeServer, waitForGhostText,
} from '../e2e/codeServer.mjs';
import { buildFixtureVsix } from '../e2e/fixture.mjs';
import { BASE_FILES, COMPLETIONS, EXTERNAL_PASTES, goBlock, jsBlock, mdBlock, pyBlock, rsBlock } from './corpus.mjs';
import { hashLine, lineClasses, replay, splitLines } from './oracle.mjs';

const HARD_TIMEOUT_MS = Number(process.env.ACCURACY_TIMEOUT_MS) || 15 * 60_000;
const KEEP = process.env.ACCURACY_KEEP === '1';
const DETAILS = process.env.ACCURACY_DETAILS === '1';
const ONLY = process.env.ACCURACY_ONLY ? new Set(process.env.ACCURACY_ONLY.split(',').map((s) => s.trim())) : null;
const T0 = Date.now();
const since = () => `${((Date.now() - T0) / 1000).toFixed(1)}s`;
const log = (...a) => console.error('[accuracy]', ...a);

const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'ai-provenance-accuracy-'));
const REPO = path.join(TMP, 'repo');
const ORACLE_LOG = path.join(TMP, 'oracle.jsonl');
const RPC_DIR = path.join(TMP, 'rpc');
const open = { browser: null, server: null, page: null, consoleLines: [] };

function git(cwd, ...args) {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

async function waitFor(what, cond, { timeout = 10_000, interval = 50 } = {}) {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await cond();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await sleep(interval);
  }
}

function makeRepo() {
  fs.mkdirSync(REPO, { recursive: true });
  git(REPO, 'init', '-q', '-b', 'main');
  git(REPO, 'config', 'user.name', 'Accuracy Bench');
  git(REPO, 'config', 'user.email', 'bench@example.invalid');
  git(REPO, 'config', 'commit.gpgsign', 'false');
  for (const [rel, text] of Object.entries(BASE_FILES)) {
    fs.mkdirSync(path.dirname(path.join(REPO, rel)), { recursive: true });
    fs.writeFileSync(path.join(REPO, rel), text);
  }
  fs.writeFileSync(path.join(REPO, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: false, target: 'es2020', module: 'esnext', allowJs: true } }, null, 2) + '\n');
  git(REPO, 'add', '-A');
  git(REPO, 'commit', '-q', '-m', 'base');
}

// ---------------------------------------------------------------- the scripted agent (fixture RPC) and the oracle log

let rpcSeq = 0;
async function rpc(op, args = {}, { timeout = 20_000 } = {}) {
  const id = `r${String(++rpcSeq).padStart(6, '0')}`;
  const tmp = path.join(RPC_DIR, `${id}.tmp`);
  fs.writeFileSync(tmp, JSON.stringify({ op, ...args }));
  fs.renameSync(tmp, path.join(RPC_DIR, `${id}.req.json`));
  const res = path.join(RPC_DIR, `${id}.res.json`);
  const out = await waitFor(`fixture rpc ${op}`, async () => (fs.existsSync(res) ? JSON.parse(fs.readFileSync(res, 'utf8')) : null), { timeout, interval: 20 });
  fs.rmSync(res, { force: true });
  if (!out.ok) throw new Error(`rpc ${op} ${JSON.stringify(args).slice(0, 200)} failed: ${out.error ?? JSON.stringify(out)}`);
  return out;
}

function readLog() {
  if (!fs.existsSync(ORACLE_LOG)) return [];
  return fs.readFileSync(ORACLE_LOG, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

const uriOf = (rel) => `file://${path.join(REPO, rel)}`;

// ---------------------------------------------------------------- scenario context

/** The helpers a scenario drives the editor with. */
function context(page, sc) {
  const files = new Set();
  let current = null; // the file the scenario last opened: select() acts on its editor
  const ctx = {
    page,
    files,
    /** Opens a file in an editor (Quick Open) and focuses it. */
    async open(rel) {
      files.add(rel);
      current = rel;
      await openFile(page, rel);
      await waitFor(`${rel} to be the active editor`, async () => (await rpc('state', { path: rel })).active === uriOf(rel));
    },
    /** The document's text as the extension host has it now. */
    async text(rel) {
      const r = await rpc('state', { path: rel });
      return r.docs[0]?.text;
    },
    async version(rel) {
      const r = await rpc('state', { path: rel });
      return r.docs[0]?.version ?? -1;
    },
    async waitText(rel, pred, what = 'the edit', timeout = 15_000) {
      return waitFor(`${rel}: ${what}`, async () => {
        const t = await ctx.text(rel);
        return t !== undefined && pred(t) ? t : null;
      }, { timeout });
    },
    async waitVersionAbove(rel, v, what, timeout = 15_000) {
      return waitFor(`${rel}: ${what}`, async () => (await ctx.version(rel)) > v, { timeout });
    },
    /** 0-based number of the first line containing `needle`. */
    async lineOf(rel, needle) {
      const lines = (await ctx.text(rel)).split('\n');
      const i = lines.findIndex((l) => l.includes(needle));
      if (i < 0) throw new Error(`${rel}: no line contains ${JSON.stringify(needle)}`);
      return { line: i, text: lines[i] };
    },
    /** Puts the cursor (or a selection, or several) in the active editor, which keeps focus. */
    async select(sel) {
      await focusEditor(page);
      // set it, and check it stuck (an editor that just opened may still restore its view state)
      const want = JSON.stringify((sel.selections || [sel]).map((x) => ({ line: x.line, character: x.character ?? 0, endLine: x.endLine ?? x.line, endCharacter: x.endLine === undefined ? (x.character ?? 0) : (x.endCharacter ?? 0) })));
      await waitFor('the selection to stick', async () => {
        const st = await rpc('state', { path: current });
        if (st.active !== uriOf(current)) return false;
        if (JSON.stringify(st.selections) !== want) { await rpc('select', sel); return false; }
        await sleep(100);
        const again = await rpc('state', { path: current });
        return JSON.stringify(again.selections) === want;
      });
    },
    async cursorAtEndOf(rel, needle) {
      const { line, text } = await ctx.lineOf(rel, needle);
      await ctx.select({ line, character: text.length });
      return line;
    },
    /** Types text (one key per character; `\n` is Enter) and waits until the extension host has it. */
    async type(rel, text, { delay = 8 } = {}) {
      const v = await ctx.version(rel);
      const parts = text.split('\n');
      for (let i = 0; i < parts.length; i++) {
        if (i > 0) await page.keyboard.press('Enter');
        if (parts[i]) await page.keyboard.type(parts[i], { delay });
      }
      const last = parts.filter((p) => p.trim()).pop()?.trim();
      await ctx.waitVersionAbove(rel, v, 'typing');
      if (last) await ctx.waitText(rel, (t) => t.includes(last.slice(-12)), 'the typed text');
      await ctx.quiet(rel);
    },
    /** Presses a key and waits for the document to change. */
    async press(rel, key, what = key) {
      const v = await ctx.version(rel);
      await page.keyboard.press(key);
      await ctx.waitVersionAbove(rel, v, what);
      await ctx.quiet(rel);
    },
    /** Waits until the document's version holds still for a moment (the key queue drained). */
    async quiet(rel, ms = 150) {
      let v = await ctx.version(rel);
      let since = Date.now();
      await waitFor(`${rel} to settle`, async () => {
        const now = await ctx.version(rel);
        if (now !== v) { v = now; since = Date.now(); return false; }
        return Date.now() - since >= ms;
      }, { timeout: 20_000 });
    },
    /**
     * Full accept of the fixture's completion NAME: cursor at the end of the
     * `@ai:NAME` line, Enter, wait for the ghost text, Tab.
     */
    async complete(rel, name, { accept = 'Tab' } = {}) {
      const text = COMPLETIONS[name];
      await ctx.showCompletion(rel, name);
      const v = await ctx.version(rel);
      await page.keyboard.press(accept);
      await ctx.waitVersionAbove(rel, v, `accept ${name}`);
      await ctx.waitText(rel, (t) => t.includes(text.split('\n').pop()), `completion ${name} in the text`);
      await waitFor('the ghost text to go', async () => (await ghostText(page)) === '');
    },
    async showCompletion(rel, name) {
      const first = COMPLETIONS[name].split('\n')[0];
      await ctx.cursorAtEndOf(rel, `@ai:${name}`);
      await ctx.press(rel, 'Enter');
      try {
        await waitForGhostText(page, first.trim().slice(0, 20), { timeout: 6_000, contains: true });
      } catch {
        await page.keyboard.press('Alt+Backslash');
        await waitForGhostText(page, first.trim().slice(0, 20), { timeout: 10_000, contains: true });
      }
    },
    /** Pastes `text` from outside the editor (the system clipboard). */
    async pasteExternal(rel, text) {
      await setClipboard(page, text);
      await focusEditor(page);
      const v = await ctx.version(rel);
      await page.keyboard.press('Control+V');
      await ctx.waitVersionAbove(rel, v, 'paste');
      await ctx.waitText(rel, (t) => t.includes(text.split('\n').pop()), 'the pasted text');
      await ctx.quiet(rel);
    },
    /** Ctrl+C / Ctrl+X of the current selection; waits for the fixture to log the copy. */
    async copy(rel, key = 'Control+C') {
      const n = readLog().filter((e) => e.t === 'copy').length;
      await page.keyboard.press(key);
      await waitFor('the copy in the oracle log', async () => readLog().filter((e) => e.t === 'copy').length > n);
      if (key === 'Control+X') await ctx.quiet(rel);
    },
    async pasteInternal(rel, expectLast) {
      const v = await ctx.version(rel);
      await page.keyboard.press('Control+V');
      await ctx.waitVersionAbove(rel, v, 'paste');
      if (expectLast) await ctx.waitText(rel, (t) => t.includes(expectLast), 'the pasted text');
      await ctx.quiet(rel);
    },
    /** A chat-like WorkspaceEdit from the fixture (no UI). */
    async agentEdit(rel, edits) {
      files.add(rel);
      await rpc('edit', { path: rel, edits });
    },
    async agentBurst(rel, steps) {
      files.add(rel);
      await rpc('burst', { path: rel, steps });
    },
    async agentCreate(rel, text) {
      files.add(rel);
      await rpc('create', { path: rel, text });
    },
    async command(title, rel, what = title, timeout = 60_000) {
      const v = rel ? await ctx.version(rel) : 0;
      await runCommand(page, title);
      if (rel) {
        await ctx.waitVersionAbove(rel, v, what, timeout);
        await ctx.quiet(rel, 300);
      }
    },
  };
  return ctx;
}

// ---------------------------------------------------------------- scenarios

const SCENARIOS = [
  {
    name: 'typed', channel: 'typed',
    about: 'typing in Go with auto-closing pairs and auto-indent, multi-cursor typing, Markdown prose, an IME-style insert',
    async run(c) {
      await c.open('typed/calc.go');
      await c.cursorAtEndOf('typed/calc.go', 'Typed by hand below.');
      await c.type('typed/calc.go', '\n\nfunc add(a, b int) int {\nreturn a + b');
      // leave the auto-closed block: the closing brace is on the next line
      await c.select({ line: (await c.text('typed/calc.go')).split('\n').length - 1, character: 0 });
      await c.type('typed/calc.go', '\n\nfunc label(name string) string {\nreturn "hello, " + name');
      await c.select({ line: (await c.text('typed/calc.go')).split('\n').length - 1, character: 0 });
      await c.type('typed/calc.go', '\n\nvar table = map[string]int{"one": 1, "two": 2}\nvar one = 1\nvar two = 2\nvar three = 3\n');
      // multi-cursor: a cursor at the end of each of the three var lines
      const lines = (await c.text('typed/calc.go')).split('\n');
      const sels = ['var one', 'var two', 'var three'].map((p) => { const i = lines.findIndex((l) => l.startsWith(p)); return { line: i, character: lines[i].length }; });
      await c.select({ selections: sels });
      await c.type('typed/calc.go', ' // counted by hand');
      await c.page.keyboard.press('Escape'); // leaves multi-cursor mode (no edit)
      await c.open('typed/notes.md');
      await c.cursorAtEndOf('typed/notes.md', 'Typed by hand.');
      const prose = [];
      for (let i = 1; i <= 30; i++) prose.push(`Line ${i} of my own notes, written at the keyboard.`);
      await c.type('typed/notes.md', `\n\n${prose.join('\n')}\n`);
      const v = await c.version('typed/notes.md');
      await c.page.keyboard.insertText('Composed text: déjà vu, naïve café.');
      await c.waitVersionAbove('typed/notes.md', v, 'IME-style insert');
      await c.quiet('typed/notes.md');
    },
  },
  {
    name: 'completion-full', channel: 'ai-completion',
    about: 'full accepts (Tab) of multi-line inline completions in Python and Rust',
    async run(c) {
      await c.open('completion/shapes.py');
      for (const n of ['py_area', 'py_mean', 'py_stats']) await c.complete('completion/shapes.py', n);
      await c.open('completion/lib.rs');
      for (const n of ['rs_sum', 'rs_max']) await c.complete('completion/lib.rs', n);
      await c.open('completion/guide.md');
      await c.complete('completion/guide.md', 'md_section');
    },
  },
  {
    name: 'completion-partial', channel: 'ai-completion',
    about: 'accept next word (Ctrl+Right) and next line (a key bound to the recorded line accept) of inline completions in JS, then typing on',
    async run(c) {
      const f = 'partial/util.js';
      await c.open(f);
      await c.showCompletion(f, 'js_words');
      for (let i = 0; i < 6; i++) await c.press(f, 'Control+ArrowRight', 'accept next word');
      await c.page.keyboard.press('Escape');
      await c.type(f, ' // my note');
      await c.showCompletion(f, 'js_lines');
      for (let i = 0; i < 7; i++) await c.press(f, 'Control+Alt+End', 'accept next line');
      await c.page.keyboard.press('Escape');
      await c.showCompletion(f, 'js_mix');
      await c.press(f, 'Control+Alt+End', 'accept next line');
      for (let i = 0; i < 3; i++) await c.press(f, 'Control+ArrowRight', 'accept next word');
      await c.page.keyboard.press('Escape');
      await c.type(f, 'MyOwnEnding();');
    },
  },
  {
    name: 'paste-external', channel: 'ai-paste',
    about: 'pastes from the system clipboard (outside the editor) into Python and Markdown, with typing around them',
    async run(c) {
      await c.open('paste-external/config.py');
      await c.cursorAtEndOf('paste-external/config.py', 'DEBUG = False');
      await c.type('paste-external/config.py', '\nLEVEL = 3\n');
      await c.pasteExternal('paste-external/config.py', EXTERNAL_PASTES.py);
      await c.type('paste-external/config.py', '\nTIMEOUT = 30');
      await c.open('paste-external/guide.md');
      await c.cursorAtEndOf('paste-external/guide.md', 'Intro.');
      await c.type('paste-external/guide.md', '\n\nMy words first.\n');
      await c.pasteExternal('paste-external/guide.md', EXTERNAL_PASTES.md);
      await c.type('paste-external/guide.md', '\n');
      await c.pasteExternal('paste-external/guide.md', 'A one-line paste from a chat answer.');
      await c.open('paste-external/main.go');
      await c.cursorAtEndOf('paste-external/main.go', 'func main() {');
      await c.type('paste-external/main.go', '\n');
      await c.pasteExternal('paste-external/main.go', EXTERNAL_PASTES.go);
    },
  },
  {
    name: 'paste-internal', channel: 'paste',
    about: 'copy AI text and human text inside the editor and paste it into another TS file; cut AI text and paste it lower',
    async run(c) {
      const src = 'paste-internal/source.ts';
      const dst = 'paste-internal/target.ts';
      await c.open(src);
      await c.complete(src, 'ts_move');
      await c.cursorAtEndOf(src, '// human part');
      await c.type(src, '\nconst mine = 1;\nconst yours = mine + 1;\nconst ours = mine + yours;');
      // copy the AI block (the completion's 10 lines)
      let t = (await c.text(src)).split('\n');
      let a = t.findIndex((l) => l.includes('movedByAssistant'));
      await c.select({ line: a, character: 0, endLine: a + 16, endCharacter: 0 });
      await c.copy(src);
      await c.open(dst);
      await c.select({ line: 1, character: 0 });
      await c.pasteInternal(dst, 'return acc;');
      // copy the human lines
      await c.open(src);
      t = (await c.text(src)).split('\n');
      a = t.findIndex((l) => l.includes('const mine'));
      await c.select({ line: a, character: 0, endLine: a + 2, endCharacter: t[a + 2].length });
      await c.copy(src);
      await c.open(dst);
      const end = (await c.text(dst)).split('\n').length - 1;
      await c.select({ line: end, character: 0 });
      await c.type(dst, '\n');
      await c.pasteInternal(dst, 'const ours');
      // copy a part of an AI line and paste it mid-line
      await c.open(src);
      t = (await c.text(src)).split('\n');
      a = t.findIndex((l) => l.includes('acc += (input[3]'));
      await c.select({ line: a, character: 2, endLine: a, endCharacter: t[a].length });
      await c.copy(src);
      await c.open(dst);
      const e2 = (await c.text(dst)).split('\n').length - 1;
      await c.select({ line: e2, character: (await c.text(dst)).split('\n')[e2].length });
      await c.type(dst, '\nfunction again(input: number[]) { let acc = 0; ');
      await c.pasteInternal(dst, 'acc += (input[3]');
      await c.type(dst, ' return acc; }');
      // cut the AI block in source and paste it at the end
      await c.open(src);
      t = (await c.text(src)).split('\n');
      a = t.findIndex((l) => l.includes('movedByAssistant'));
      await c.select({ line: a, character: 0, endLine: a + 16, endCharacter: 0 });
      await c.copy(src, 'Control+X');
      const e3 = (await c.text(src)).split('\n').length - 1;
      await c.select({ line: e3, character: (await c.text(src)).split('\n')[e3].length });
      await c.type(src, '\n');
      await c.pasteInternal(src, 'return acc;');
    },
  },
  {
    name: 'chat-visible', channel: 'ai-chat',
    about: 'WorkspaceEdits from an extension (playing a chat) to the Go file shown in the editor: one multi-edit, then a burst of five',
    async run(c) {
      const f = 'chat/service.go';
      await c.open(f);
      await c.agentEdit(f, [
        { line: 3, character: 0, text: `${goBlock('chatSum', 20)}\n\n` },
        { line: 4, character: 0, endLine: 4, endCharacter: 14, text: 'func Hello(name string) {' },
        { line: 7, character: 0, text: `\n${goBlock('chatProduct', 16)}\n\n${goBlock('chatMax', 20)}\n` },
      ]);
      const lines = (await c.text(f)).split('\n').length;
      const steps = [];
      for (let i = 0; i < 5; i++) steps.push({ line: lines - 1 + i * 2, character: 0, text: `// streamed by the agent, part ${i + 1}\nvar part${i + 1} = ${i}\n` });
      await c.agentBurst(f, steps);
      await c.waitText(f, (t) => t.includes('part5'), 'the burst');
    },
  },
  {
    name: 'chat-hidden', channel: 'ai-chat',
    about: 'WorkspaceEdits from an extension to a Python file no editor shows',
    async run(c) {
      const f = 'chat/worker.py';
      await c.agentEdit(f, [
        { line: 3, character: 0, text: `${pyBlock('hidden_helper', 40)}\n\n\n` },
        { line: 6, character: 0, endLine: 6, endCharacter: 24, text: '    print(os.getcwd(), hidden_helper([1, 2]))' },
      ]);
      await c.agentEdit(f, [{ line: 0, character: 0, text: '# Edited by the agent in the background.\n' }]);
      await c.waitText(f, (t) => t.includes('background'), 'the edits');
    },
  },
  {
    name: 'agent-new-file', channel: 'ai-chat',
    about: 'new files created by an agent (createFile + insert in one WorkspaceEdit): TypeScript and Markdown',
    async run(c) {
      await c.agentCreate('agent/report.ts', `${jsBlock('buildReport', 30, { ts: true })}\n\n${jsBlock('summarize', 20, { ts: true })}\n`);
      await c.agentCreate('agent/README.md', `# Report module\n\n${mdBlock('How it works', 15)}\n`);
      await c.agentCreate('agent/tasks.py', `${pyBlock('schedule', 16)}\n\n\n${pyBlock('cancel', 12)}\n`);
      await c.waitText('agent/README.md', (t) => t.includes('How it works'), 'the new file');
    },
  },
  {
    name: 'ide-suggest-snippet', channel: 'ide',
    about: 'IntelliSense accepts (Ctrl+Space, Tab) and a snippet (Insert Snippet) in TypeScript, with typing',
    async run(c) {
      const f = 'ide/suggest.ts';
      await c.open(f);
      const end = (await c.text(f)).split('\n').length - 1;
      await c.select({ line: end, character: 0 });
      await c.type(f, 'export const x = computeGr');
      await suggestAccept(c, f, 'computeGrandTotal');
      await c.type(f, '(1, 2);\nexport const y = computeGr');
      await suggestAccept(c, f, 'computeGrandTotal');
      await c.type(f, '(x, 3);\n');
      await paletteOpen(c.page, 'Snippets: Insert Snippet');
      const input = c.page.locator('.quick-input-widget .quick-input-box input');
      await waitFor('the snippet picker', async () => !(await input.inputValue()).startsWith('>'), { timeout: 10_000 });
      const v = await c.version(f);
      await input.fill('trycatch');
      await c.page.locator('.quick-input-widget .quick-input-list .monaco-list-row.focused', { hasText: 'trycatch' }).waitFor({ state: 'visible', timeout: 15_000 });
      await c.page.keyboard.press('Enter');
      await c.waitVersionAbove(f, v, 'the snippet');
      await c.quiet(f);
      await c.page.keyboard.press('Escape');
    },
  },
  {
    name: 'ide-format', channel: 'ide',
    about: 'Format Document on JavaScript (TypeScript formatter) and JSON with Comments, over AI and typed lines',
    async run(c) {
      const js = 'ide/format.js';
      await c.open(js);
      await c.complete(js, 'js_format');
      await c.type(js, '\nconst  mine={x:1,y:2};\nfunction   humanHelper( y ){return y+1}\nlet   typedList=[4,5].map(( w )=>w+1);');
      await formatDocument(c, js);
      const j = 'ide/settings.jsonc';
      await c.open(j);
      await c.complete(j, 'jsonc_ai');
      await c.cursorAtEndOf(j, '"version":1');
      await c.type(j, ',"typed":{"by":"me","n":2}');
      await formatDocument(c, j);
    },
  },
  {
    name: 'ide-rename-organize', channel: 'ide',
    about: 'Rename Symbol (F2) across AI and typed lines in TypeScript, then Organize Imports',
    async run(c) {
      const f = 'ide/rename.ts';
      await c.open(f);
      await c.complete(f, 'ts_total');
      await c.cursorAtEndOf(f, 'return total;');
      await c.type(f, '\n// my check: total must be positive\nif (total < 0) throw new Error("negative");');
      const { line, text } = await c.lineOf(f, 'const total');
      await c.select({ line, character: text.indexOf('total') + 1 });
      const v = await c.version(f);
      await c.page.keyboard.press('F2');
      // the rename box appears once the TypeScript server answers; type only when it has focus
      await waitFor('the rename input to have focus', () => c.page.evaluate(() => !!document.activeElement?.closest('.rename-box')), { timeout: 60_000, interval: 100 });
      await c.page.keyboard.type('grandTotal');
      await c.page.keyboard.press('Enter');
      await c.waitVersionAbove(f, v, 'the rename', 60_000);
      await c.waitText(f, (t) => t.includes('const grandTotal = prices.reduce') && t.includes('if (grandTotal < 0)'), 'every total renamed', 30_000);
      await c.quiet(f, 300);
      // Organize Imports (Shift+Alt+O): sorts the two imports
      const v2 = await c.version(f);
      await c.page.keyboard.press('Shift+Alt+O');
      await c.waitVersionAbove(f, v2, 'organize imports', 60_000);
      await c.waitText(f, (t) => t.startsWith("import { a }"), 'sorted imports', 30_000);
      await c.quiet(f, 300);
    },
  },
  {
    name: 'undo-redo', channel: 'undo-redo',
    about: 'typing, a completion, a chat edit and an outside paste in JS, undone and redone in several steps',
    async run(c) {
      const f = 'undo/undo.js';
      await c.open(f);
      await c.complete(f, 'js_undo');
      await c.type(f, '\n// typed after the completion\nconst typedValue = 42;');
      await c.agentEdit(f, [{ line: 0, character: 0, text: '// chat added this header\n// and this second line\n' }]);
      await c.select({ line: (await c.text(f)).split('\n').length - 1, character: 22 });
      await c.type(f, '\n');
      await c.pasteExternal(f, EXTERNAL_PASTES.js);
      // undo the paste, the Enter, the chat edit; redo the chat edit
      await c.press(f, 'Control+Z', 'undo 1');
      await c.press(f, 'Control+Z', 'undo 2');
      await c.press(f, 'Control+Z', 'undo 3');
      await c.press(f, 'Control+Shift+Z', 'redo 1');
      // undo the typed lines too, redo them, type on
      await c.press(f, 'Control+Z', 'undo 4');
      await c.press(f, 'Control+Z', 'undo 5');
      await c.press(f, 'Control+Shift+Z', 'redo 2');
      const last = (await c.text(f)).split('\n').length - 1;
      await c.select({ line: last, character: (await c.text(f)).split('\n')[last].length });
      await c.type(f, '\nconst afterUndo = true;');
      // a chat edit after the redo, then undone and redone once more
      await c.agentEdit(f, [{ line: 2, character: 0, text: `${jsBlock('chatAfterUndo', 15)}\n` }]);
      await c.press(f, 'Control+Z', 'undo 6');
      await c.press(f, 'Control+Shift+Z', 'redo 3');
    },
  },
  {
    name: 'external-write', channel: 'external',
    about: 'a Python file rewritten on disk by another program while open and saved (VS Code reloads it), typed before and after',
    async run(c) {
      const f = 'external/data.py';
      await c.open(f);
      await c.cursorAtEndOf(f, 'VALUES = [1, 2, 3]');
      await c.type(f, '\nMORE = [4, 5]\nTOTAL = sum(VALUES) + sum(MORE)');
      await rpc('save', { paths: [f] });
      await waitFor('saved', async () => fs.readFileSync(path.join(REPO, f), 'utf8').includes('TOTAL'));
      const disk = fs.readFileSync(path.join(REPO, f), 'utf8');
      const lines = disk.split('\n');
      lines.splice(2, 0, '# Regenerated by a code generator.', ...pyBlock('generated_table', 25).split('\n'), '');
      const rewritten = lines.join('\n').replace('MORE = [4, 5]', 'MORE = [4, 5, 6]');
      const v = await c.version(f);
      fs.writeFileSync(path.join(REPO, f), rewritten);
      await c.waitVersionAbove(f, v, 'the reload from disk', 30_000);
      await c.waitText(f, (t) => t === rewritten, 'the reloaded text', 30_000);
      await c.quiet(f, 300);
      const last = (await c.text(f)).split('\n').length - 1;
      await c.select({ line: last, character: (await c.text(f)).split('\n')[last].length });
      await c.type(f, '\nprint(TOTAL)');
    },
  },
];

/** Runs a palette command that opens another quick pick (so it does not wait for the palette to close). */
async function paletteOpen(page, title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-widget .quick-input-list .monaco-list-row.focused .quick-input-list-label .label-name', { hasText: title }).first().waitFor({ state: 'visible' });
  await page.keyboard.press('Enter');
}

/** Format Document with its default Linux key (Ctrl+Shift+I), as a person would; waits for the edit. */
async function formatDocument(c, f) {
  await focusEditor(c.page);
  const v = await c.version(f);
  for (let attempt = 0; ; attempt++) {
    await c.page.keyboard.press('Control+Shift+I');
    try {
      await c.waitVersionAbove(f, v, 'format', attempt === 0 ? 60_000 : 30_000);
      break;
    } catch (e) {
      if (attempt >= 1) throw e;
    }
  }
  await c.quiet(f, 500);
}

async function suggestAccept(c, f, label) {
  const row = c.page.locator('.editor-widget.suggest-widget .monaco-list-row.focused', { hasText: label });
  for (let attempt = 0; ; attempt++) {
    await c.page.keyboard.press('Control+Space');
    try {
      await row.first().waitFor({ state: 'visible', timeout: attempt === 0 ? 30_000 : 15_000 });
      break;
    } catch (e) {
      if (attempt >= 2) throw e;
      await c.page.keyboard.press('Escape');
    }
  }
  await c.press(f, 'Tab', 'accept suggestion');
}

// ---------------------------------------------------------------- measuring

const ledgerDir = () => path.join(REPO, git(REPO, 'rev-parse', '--git-path', 'ai-provenance'));
function ledgerPath(rel) {
  return path.join(ledgerDir(), 'v1', 'files', `${createHash('sha1').update(rel).digest('hex')}.json`);
}
function readLedger(rel) {
  try { return JSON.parse(fs.readFileSync(ledgerPath(rel), 'utf8')); } catch { return undefined; }
}

/**
 * Saves the scenario's files and waits until each one's ledger describes the
 * saved text (its line hashes match the file on disk) and was written after
 * the save. Returns rel → ledger (or undefined when none came).
 */
async function saveAndCollect(files) {
  const t = Date.now();
  await rpc('save', { paths: [...files] });
  const out = new Map();
  for (const rel of files) {
    const disk = fs.readFileSync(path.join(REPO, rel), 'utf8');
    const hashes = splitLines(disk).map(hashLine);
    const ok = (l) => l && l.savedAt >= t - 5 && l.lines.length === hashes.length && l.lines.every((h, i) => h === hashes[i]);
    let ledger;
    try {
      ledger = await waitFor(`the ledger of ${rel}`, async () => { const l = readLedger(rel); return ok(l) ? l : null; }, { timeout: 10_000 });
    } catch {
      const l = readLedger(rel);
      const matches = l && l.lines.length === hashes.length && l.lines.every((h, i) => h === hashes[i]);
      // not re-saved (nothing dirty) but still describing the text: use it
      ledger = matches ? l : undefined;
      log(`  ${rel}: ${ledger ? 'ledger not rewritten after this save, but it matches the text' : l ? 'ledger does not match the saved text' : 'no ledger written'}`);
    }
    out.set(rel, { ledger, disk });
  }
  return out;
}

const CLS_NAMES = { a: 'ai', m: 'mixed', h: 'human', u: 'unknown', '.': 'unchanged' };
const isAi = (c) => c === 'a' || c === 'm';

function compare(results, oracleDocs) {
  const rows = [];
  const details = [];
  for (const r of results) {
    const row = { scenario: r.name, channel: r.channel, lines: 0, correct: 0, falseAi: 0, missedAi: 0, aiOnUnchanged: 0, problems: [...r.problems] };
    for (const [rel, { ledger, disk }] of r.saved) {
      const od = oracleDocs.get(uriOf(rel));
      const base = BASE_FILES[rel] ?? '';
      const oText = od ? od.text : base;
      const oCls = od ? lineClasses(od.text, od.cls) : lineClasses(base, new Array(base.length).fill(null));
      if (oText !== disk) { row.problems.push(`${rel}: the oracle's replayed text differs from the saved file`); continue; }
      const ext = ledger ? ledger.classes : '.'.repeat(splitLines(disk).length);
      if (!ledger) row.problems.push(`${rel}: no ledger matching the saved text`);
      const lines = splitLines(disk);
      for (let i = 0; i < lines.length; i++) {
        const o = oCls[i];
        const x = ext[i] ?? '.';
        if (o === '.') {
          if (isAi(x)) {
            row.aiOnUnchanged++;
            details.push({ scenario: r.name, rel, line: i + 1, oracle: o, ext: x, text: lines[i], ev: ledger ? evOf(ledger, i) : '' });
          }
          continue;
        }
        row.lines++;
        if (o === x) row.correct++;
        else details.push({ scenario: r.name, rel, line: i + 1, oracle: o, ext: x, text: lines[i], ev: ledger ? evOf(ledger, i) : '' });
        if (!isAi(o) && isAi(x)) row.falseAi++;
        if (isAi(o) && !isAi(x)) row.missedAi++;
      }
    }
    rows.push(row);
  }
  return { rows, details };
}

function evOf(ledger, line) {
  const segs = ledger.segs.filter((s) => s[0] === line);
  const evs = [...new Set(segs.map((s) => s[3]))].map((i) => ledger.ev[i]).filter(Boolean);
  return evs.map((e) => `${e.origin}/${e.confidence}: ${e.detail}`).join(' | ');
}

function pct(a, b) {
  return b === 0 ? '100.0' : ((100 * a) / b).toFixed(1);
}

function printTable(rows) {
  const byChannel = new Map();
  for (const r of rows) {
    const c = byChannel.get(r.channel) ?? { channel: r.channel, lines: 0, correct: 0, falseAi: 0, missedAi: 0, aiOnUnchanged: 0, scenarios: [] };
    for (const k of ['lines', 'correct', 'falseAi', 'missedAi', 'aiOnUnchanged']) c[k] += r[k];
    c.scenarios.push(r.scenario);
    byChannel.set(r.channel, c);
  }
  const out = [];
  const head = ['', 'lines', 'correct', 'false-ai', 'missed-ai', 'ai-on-unchanged'];
  const fmt = (name, r) => [name, String(r.lines), `${r.correct} (${pct(r.correct, r.lines)}%)`, String(r.falseAi), String(r.missedAi), String(r.aiOnUnchanged)];
  const table = (title, items, nameOf) => {
    const body = items.map((r) => fmt(nameOf(r), r));
    const w = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length), title.length * (i === 0)));
    const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ');
    out.push(line([title, ...head.slice(1)]));
    out.push(w.map((n) => '-'.repeat(n)).join('  '));
    for (const b of body) out.push(line(b));
    return line;
  };
  table('scenario', rows, (r) => `${r.scenario} [${r.channel}]`);
  out.push('');
  const total = { lines: 0, correct: 0, falseAi: 0, missedAi: 0, aiOnUnchanged: 0 };
  for (const r of rows) for (const k of Object.keys(total)) total[k] += r[k];
  const line = table('channel', [...byChannel.values()], (r) => r.channel);
  out.push(line(fmt('total', total)));
  return { text: out.join('\n'), total };
}

// ---------------------------------------------------------------- main

async function closeAll() {
  const { browser, server } = open;
  open.page = null; open.browser = null; open.server = null;
  if (browser) await Promise.race([browser.close().catch(() => {}), sleep(10_000)]);
  if (server) await server.stop();
}

async function main() {
  log(`temp dir: ${TMP}`);
  const csDir = ensureSetup();
  log(`code-server in ${csDir}`);
  const { name, version } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
  const vsix = path.resolve(process.env.AI_PROVENANCE_VSIX || path.join(REPO_ROOT, `${name}-${version}.vsix`));
  if (!fs.existsSync(vsix)) throw new Error(`${vsix} does not exist: run \`npm run package\` first`);
  const fixture = buildFixtureVsix(path.join(TMP, 'vsix'));
  makeRepo();
  fs.mkdirSync(RPC_DIR, { recursive: true });
  const userDataDir = path.join(TMP, 'user-data');
  const extensionsDir = path.join(TMP, 'extensions');
  for (const v of [fixture, vsix]) log(`  ${installExtension(v, { userDataDir, extensionsDir }).split('\n').pop()}`);
  const tStart = Date.now();
  const server = await startCodeServer({
    workspace: REPO, userDataDir, extensionsDir,
    settings: {
      'provenance.useEditSourceApi': false,
      'provenance.commitHook': 'never',
      'provenance.externalPaste': 'ai',
      'aiFixture.logFile': ORACLE_LOG,
      'aiFixture.logEvents': true,
      'aiFixture.rpcDir': RPC_DIR,
      'aiFixture.completions': COMPLETIONS,
      'workbench.editor.enablePreview': false,
      'files.refactoring.autoSave': false,
      'javascript.validate.enable': false,
      'typescript.validate.enable': false,
      'typescript.tsserver.experimental.enableProjectDiagnostics': false,
      // the typed scenario (Go) gets VS Code's auto-closing pairs and full auto-indent
      '[go]': { 'editor.autoClosingBrackets': 'languageDefined', 'editor.autoClosingQuotes': 'languageDefined', 'editor.autoIndent': 'full' },
    },
    keybindings: [
      // a user key for the extension's recorded "accept next line" (it binds none by default)
      { key: 'ctrl+alt+end', command: 'provenance.acceptInlineSuggestionLine', when: 'editorTextFocus && !editorReadonly && inlineSuggestionVisible' },
    ],
  });
  open.server = server;
  log(`code-server on ${server.url}`);
  const { browser, page } = await launchBrowser({ headless: true });
  open.browser = browser;
  open.page = page;
  open.consoleLines = collectConsole(page);
  await openWorkbench(page, server.url, REPO, { statusText: 'ai-fixture: ready' });
  log(`workbench ready in ${((Date.now() - tStart) / 1000).toFixed(1)}s`);

  const results = [];
  for (const sc of SCENARIOS) {
    if (ONLY && !ONLY.has(sc.name)) continue;
    const t = Date.now();
    log(`▶ ${sc.name}  [${since()}]`);
    const c = context(page, sc);
    const problems = [];
    try {
      await sc.run(c);
    } catch (err) {
      problems.push(`scenario failed: ${err?.message?.split('\n')[0]}`);
      log(`  ✘ ${sc.name}: ${err?.stack || err}`);
      const png = path.join(TMP, `FAILED-${sc.name}.png`);
      await page.screenshot({ path: png }).catch(() => {});
      log(`  screenshot: ${png}`);
      await page.keyboard.press('Escape').catch(() => {});
    }
    let saved = new Map();
    try {
      saved = await saveAndCollect(c.files);
    } catch (err) {
      problems.push(`save failed: ${err?.message?.split('\n')[0]}`);
    }
    results.push({ name: sc.name, channel: sc.channel, problems, saved, ms: Date.now() - t });
    log(`  ${sc.name} done in ${((Date.now() - t) / 1000).toFixed(1)}s`);
  }
  const tScen = Date.now();
  await closeAll();

  // the oracle
  // only the repository's files (VS Code or an extension may edit e.g. the user's settings.json)
  const entries = readLog().filter((e) => e.uri?.startsWith(`file://${REPO}/`));
  const baseText = (uri) => {
    const rel = path.relative(REPO, uri.replace(/^file:\/\//, ''));
    return BASE_FILES[rel] ?? '';
  };
  const { docs, labels, problems } = replay(entries, baseText);
  const { rows, details } = compare(results, docs);

  // label inventory
  const inv = [...labels.entries()].sort((a, b) => b[1].count - a[1].count);
  console.log('detailedReason labels seen (count, oracle mapping, example change shape):');
  for (const [label, rec] of inv) {
    const scen = [...new Set([...rec.uris].map((u) => results.find((r) => [...r.saved.keys()].some((rel) => uriOf(rel) === u))?.name).filter(Boolean))];
    const ex = rec.example[0] ? ` e.g. offset=${rec.example[0].rangeOffset} len=${rec.example[0].rangeLength} text=${rec.example[0].textLength}` : '';
    console.log(`  ${String(rec.count).padStart(5)}  ${label}  →  ${rec.how === 'replace' || rec.how === 'remap' ? `${CLS_NAMES[rec.cls]}${rec.how === 'remap' ? ' (diff-remapped)' : ''}` : rec.how}${rec.unmapped ? '  (UNMAPPED)' : ''}${ex}  [${scen.join(', ')}]`);
  }
  if (problems.length) {
    console.log(`oracle problems (${problems.length}):`);
    for (const p of [...new Set(problems)].slice(0, 30)) console.log(`  ! ${p}`);
  }
  console.log('');
  // misclassified lines
  const byScenario = new Map();
  for (const d of details) { const l = byScenario.get(d.scenario) ?? []; l.push(d); byScenario.set(d.scenario, l); }
  if (details.length) console.log('misclassified lines (oracle → extension):');
  for (const [s, list] of byScenario) {
    console.log(`  ${s}: ${list.length}`);
    for (const d of (DETAILS ? list : list.slice(0, 15))) {
      console.log(`    ${d.rel}:${d.line}  ${CLS_NAMES[d.oracle]} → ${CLS_NAMES[d.ext]}  ${JSON.stringify(d.text.slice(0, 70))}${d.ev ? `  [${d.ev.slice(0, 160)}]` : ''}`);
    }
    if (!DETAILS && list.length > 15) console.log(`    … ${list.length - 15} more (ACCURACY_DETAILS=1)`);
  }
  for (const r of rows) for (const p of r.problems) console.log(`  ! ${r.scenario}: ${p}`);
  console.log('');
  const timing = results.map((r) => `${r.name} ${(r.ms / 1000).toFixed(1)}s`).join(', ');
  console.log(`timings: total ${since()}, code-server start to workbench ${((tScen - tStart) / 1000).toFixed(1)}s incl. scenarios; ${timing}`);
  const { text, total } = printTable(rows);
  console.log(text);
  console.log('');
  const failed = rows.some((r) => r.problems.length) || problems.length > 0;
  if (failed) console.log('(some scenarios had problems: see the lines marked ! above; their numbers are incomplete)');
  console.log(`accuracy: lines=${total.lines} correct=${pct(total.correct, total.lines)}% false-ai=${total.falseAi} missed-ai=${total.missedAi}`);
  return failed;
}

let finished = false;
function finish(code) {
  if (finished) return;
  finished = true;
  log(`done in ${since()}; temp dir ${TMP}${KEEP || code ? ' (kept)' : ''}`);
  if (!KEEP && !code) fs.rmSync(TMP, { recursive: true, force: true });
  process.exit(code);
}

const hardTimer = setTimeout(async () => {
  log(`HARD TIMEOUT after ${HARD_TIMEOUT_MS} ms`);
  await Promise.race([closeAll(), sleep(15_000)]);
  runCleanupsSync();
  finish(1);
}, HARD_TIMEOUT_MS);

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, async () => {
    log(`${sig}: stopping`);
    await Promise.race([closeAll(), sleep(10_000)]);
    runCleanupsSync();
    finish(130);
  });
}

main().then(
  (failed) => { clearTimeout(hardTimer); finish(failed ? 2 : 0); },
  async (err) => {
    clearTimeout(hardTimer);
    log(err?.stack || err);
    if (open.page) await open.page.screenshot({ path: path.join(TMP, 'FAILED-main.png') }).catch(() => {});
    await closeAll();
    finish(1);
  },
);
