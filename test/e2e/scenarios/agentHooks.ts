// Claude Code, played exactly as the real agent runs: its hooks set up from
// the Command Palette (Set Up Agent Hooks, by keyboard), then, while the
// person types in another open file, each Edit tool call is the configured
// PreToolUse command with Claude Code's payload on stdin, the write to disk,
// and the PostToolUse command. One file it edits is open in the editor (the
// hover must name the agent and its model), one is closed (the record must
// still credit the agent). The commit's trailer and record are exact.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { gutterDecoratedLines, hoverText, visibleEditorText } from '../../../tools/harness/editorView';
import { claudeEdit, claudeHookCommands, writeTranscript } from '../../../tools/harness/claudeCode';
import type { ClaudeSession } from '../../../tools/harness/claudeCode';
import { CLI } from '../../../tools/harness/paths';
import { git, headTrailer, waitForRecord } from '../../../tools/harness/repo';
import { bringUp } from '../../../tools/harness/session';
import { waitFor } from '../../../tools/harness/wait';
import {
  SELECTORS, dismissHover, focusEditor, notificationMessages, openFile, runCommandOpeningPicker, saveFile,
} from '../../../tools/harness/workbench';
import type { E2e } from '../context';

interface S extends ClaudeSession { e2e: E2e; page: Page; hooks: Record<string, string> }

const MODEL = 'claude-opus-4-5';
const SESSION = '5f0c2a8e-agent-e2e';
const FILES = { 'src/app.js': '// app\n', 'src/notes.js': '// notes\n', 'src/util.js': '// util\n' };
/** The agent's Edit of the open file: three lines after the first. */
const APP_EDIT = { old: '// app\n', new: '// app\nfunction helper() {\n  return 42;\n}\n' };
/** The agent's Edit of the closed file: two lines after the person's. */
const UTIL_EDIT = { old: 'const u = 1;\n', new: 'const u = 1;\nconst v = 2;\nconst w = 3;\n' };
const NOTES_TYPED = ['let n1 = 1;', 'let n2 = 2;'];
/** app.js 3 agent lines; util.js 1 typed + 2 agent; notes.js 2 typed. */
const TRAILER = 'v=1 lines=8 ai=5 mixed=0 human=3 unknown=0 ai-chat=5';
const AGENT_ENTRY = `ai origin=ai-chat conf=certain tool=claude-code model=${MODEL}`;
const RECORD = [`src/app.js 2-4 ${AGENT_ENTRY}`, 'src/notes.js 2-3 human', 'src/util.js 2 human', `src/util.js 3-4 ${AGENT_ENTRY}`];

export async function agentHooks(e2e: E2e): Promise<void> {
  const s = await setUp(e2e);
  const step = e2e.run.step.bind(e2e.run);
  await step('Set Up Agent Hooks from the Command Palette, by keyboard: this repository, Claude Code, Install', () => setUpHooks(s));
  await step('the person types a line in src/util.js, saves and closes it', () => typeUtilAndClose(s));
  await step('src/app.js and src/notes.js open; while the person types in notes.js, Claude Code edits app.js (open) and util.js (closed) through its hooks', () => agentWhileTyping(s));
  await step('the hover on the agent\'s lines in app.js names claude-code and its model, certain; the gutter marks exactly them', () => hoverNamesAgent(s));
  await step('the typed lines in notes.js carry no mark; save', () => typedStayTyped(s));
  await step('the commit: trailer exact, Assisted-by claude-code with its model, the record credits the agent in the open and the closed file', () => commitExact(s));
}

async function setUp(e2e: E2e): Promise<S> {
  const root = path.join(e2e.run.tmp, 'agent');
  // The person's (and so the agent's) home: Claude Code is there (~/.claude), no other agent is.
  const home = path.join(root, 'home');
  const project = path.join(home, '.claude', 'projects', 'agent-repo');
  fs.mkdirSync(project, { recursive: true });
  const { repo, page } = await bringUp(e2e.run, {
    name: 'agent', repo: { files: FILES }, vsixes: e2e.vsixes,
    env: { HOME: home, XDG_STATE_HOME: path.join(home, '.local', 'state'), XDG_CONFIG_HOME: path.join(home, '.config') },
    settings: {
      'aiFixture.logFile': path.join(root, 'oracle.jsonl'),
      'provenance.useEditSourceApi': false, 'provenance.commitHook': 'never', 'editor.hover.above': false, 'javascript.validate.enable': false,
    },
  });
  const transcript = writeTranscript(home, repo, SESSION, MODEL, 'add a helper, and two constants in util.js');
  return { e2e, page, repo, home, session: SESSION, transcript, hooks: {} };
}

/** The quick input's row that holds `text`, once shown. */
async function quickRow(page: Page, text: string): Promise<void> {
  await page.locator(`${SELECTORS.quickInputFirstRow}`, { hasText: text }).first().waitFor({ state: 'visible', timeout: 20_000 });
}

async function setUpHooks(s: S): Promise<void> {
  const { page, repo } = s;
  await runCommandOpeningPicker(page, 'AI Provenance: Set Up Agent Hooks');
  await quickRow(page, 'This repository: repo');
  await page.keyboard.press('Enter');
  // Found on this machine, Claude Code comes first and checked; nothing else is found.
  await quickRow(page, 'found on this machine');
  const first = (await page.locator(SELECTORS.quickInputFirstRow).first().innerText()).replace(/\s+/g, ' ');
  if (!first.includes('Claude Code') || !first.includes('found on this machine')) throw new Error(`first row: ${first}`);
  const selected = await page.locator('.quick-input-widget .quick-input-visible-count, .quick-input-widget .quick-input-count').allInnerTexts();
  s.e2e.run.log(`  agents: ${first}; ${selected.join(' ')}`);
  await page.keyboard.press('Enter');
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ timeout: 20_000 });
  const text = (await dialog.innerText()).replace(/\s+/g, ' ');
  s.e2e.run.log(`  dialog: ${text.slice(0, 240)}`);
  if (!text.includes('Claude Code: .claude/settings.json') || /Codex|Cursor|Gemini/.test(text)) throw new Error(`the dialog should name Claude Code's file alone: ${text}`);
  await page.keyboard.press('Enter');
  const settingsFile = path.join(repo, '.claude', 'settings.json');
  const settings = await waitFor('.claude/settings.json written', () => (fs.existsSync(settingsFile) ? fs.readFileSync(settingsFile, 'utf8') : null), { timeout: 15_000 });
  await waitFor('the report', async () => (await notificationMessages(page)).find((m) => m.includes('agent hooks set up')), { timeout: 10_000 });
  // The agent's config is not part of the work the commit counts.
  fs.appendFileSync(path.join(repo, '.git', 'info', 'exclude'), '.claude/\n');
  Object.assign(s.hooks, claudeHookCommands(settings));
  s.e2e.run.log(`  PreToolUse command: ${s.hooks.PreToolUse}`);
}

async function typeUtilAndClose(s: S): Promise<void> {
  const { page, repo } = s;
  await openFile(page, 'src/util.js');
  await focusEditor(page);
  await page.keyboard.press('Control+End');
  await page.keyboard.type('const u = 1;', { delay: 15 });
  await page.keyboard.press('Enter');
  await saveFile(page);
  await waitFor('the save on disk', () => fs.readFileSync(path.join(repo, 'src', 'util.js'), 'utf8') === '// util\nconst u = 1;\n');
  await page.keyboard.press('Control+W');
  await page.waitForFunction(() => !document.querySelector('.tabs-container .tab[aria-label^="util.js"]'), null, { timeout: 10_000 });
}

async function agentWhileTyping(s: S): Promise<void> {
  const { page } = s;
  await openFile(page, 'src/app.js');
  await openFile(page, 'src/notes.js');
  await focusEditor(page);
  await page.keyboard.press('Control+End');
  let agentDone = false;
  const agent = (async () => {
    const times = [await claudeEdit(s, 'src/app.js', APP_EDIT, 'toolu_e2e_app'), await claudeEdit(s, 'src/util.js', UTIL_EDIT, 'toolu_e2e_util')];
    agentDone = true;
    return times;
  })();
  let overlapped = 0;
  for (const line of NOTES_TYPED) {
    for (const ch of line) {
      await page.keyboard.type(ch);
      if (!agentDone) overlapped++;
      await new Promise((r) => setTimeout(r, 60));
    }
    await page.keyboard.press('Enter');
  }
  for (const t of await agent) s.e2e.run.log(`  ${t}`);
  s.e2e.run.log(`  ${overlapped} keystrokes typed while the agent was at work`);
  if (overlapped === 0) throw new Error('the agent finished before the person started typing: nothing ran at the same time');
  const want = `// notes\n${NOTES_TYPED.join('\n')}\n`;
  await waitFor('the typing in notes.js', async () => (await visibleEditorText(page)).startsWith(want.trimEnd()));
  if (fs.readFileSync(path.join(s.repo, 'src', 'notes.js'), 'utf8') !== FILES['src/notes.js']) throw new Error('notes.js was saved: the typing should still be unsaved');
}

async function hoverNamesAgent(s: S): Promise<void> {
  const { page } = s;
  await openFile(page, 'src/app.js');
  await waitFor('the agent\'s lines in the editor', async () => (await visibleEditorText(page)).includes('return 42;'), { timeout: 15_000 });
  // The gutter alone cannot tell an agent's lines from another program's: the hover must name the agent.
  const hover = await hoverText(page, 3, { hasText: 'AI chat or agent by claude-code', timeout: 45_000 });
  s.e2e.run.log(`  hover on line 3: ${JSON.stringify(hover.split('\n').slice(0, 3).join(' | '))}`);
  for (const want of ['AI-written line', MODEL, 'certain']) if (!hover.includes(want)) throw new Error(`hover lacks "${want}": ${hover}`);
  await dismissHover(page);
  await waitFor('gutter marks on lines 2-4', async () => (await gutterDecoratedLines(page)).join(',') === '2,3,4', { timeout: 10_000 })
    .catch(async () => { throw new Error(`gutter marks on ${JSON.stringify(await gutterDecoratedLines(page))}, expected 2,3,4`); });
}

async function typedStayTyped(s: S): Promise<void> {
  const { page } = s;
  await openFile(page, 'src/notes.js');
  const marks = await gutterDecoratedLines(page);
  if (marks.length) throw new Error(`typed lines marked: ${JSON.stringify(marks)}`);
  const hover = await hoverText(page, 2, { timeout: 2_000 }).catch(() => '');
  if (hover.includes('AI Provenance')) throw new Error(`a typed line has a provenance hover: ${hover}`);
  await dismissHover(page);
  await focusEditor(page);
  await saveFile(page);
}

async function commitExact(s: S): Promise<void> {
  const { repo } = s;
  const installed = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'install-hook'], { cwd: repo });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.on('close', (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(`install-hook: exit ${code}`))));
  });
  s.e2e.run.log(`  ${installed.split('\n')[0]}`);
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'Helper and constants from the agent, notes by hand');
  const trailer = headTrailer(repo, 'AI-Provenance');
  const assisted = headTrailer(repo, 'Assisted-by');
  const record = (await waitForRecord(repo, 'HEAD')).split('\n').filter((l) => l && !l.startsWith('ai-provenance v')).sort();
  s.e2e.run.log(`  AI-Provenance: ${trailer}\n  Assisted-by: ${assisted}\n  record:\n    ${record.join('\n    ')}`);
  if (trailer !== TRAILER) throw new Error(`trailer ${JSON.stringify(trailer)}, expected ${JSON.stringify(TRAILER)}`);
  if (assisted !== `claude-code:${MODEL}`) throw new Error(`Assisted-by ${JSON.stringify(assisted)}`);
  if (record.join('\n') !== [...RECORD].sort().join('\n')) throw new Error(`record:\n${record.join('\n')}\nexpected:\n${[...RECORD].sort().join('\n')}`);
}
