// The review workflow and persistence: status bar and file report, Mark as
// Reviewed, a window reload, another program writing the file and an agent
// labelling that write with `ai-provenance mark`, the commit's trailer, and
// marks clearing once the lines are committed.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { gutterDecoratedLines, hoverText, visibleEditorText, waitForGhostText } from '../../../tools/harness/editorView';
import { FIXTURE_READY } from '../../../tools/harness/fixture';
import { CLI } from '../../../tools/harness/paths';
import { git, headTrailer, readLedger } from '../../../tools/harness/repo';
import { bringUp } from '../../../tools/harness/session';
import { waitFor } from '../../../tools/harness/wait';
import {
  SELECTORS, closeTab, dismissHover, focusEditor, goToLine, openFile, openWorkbench, runCommand, saveFile, webviewPanel,
} from '../../../tools/harness/workbench';
import { APP_REPO, type E2e } from '../context';

interface S { e2e: E2e; page: Page; repo: string; url: string; statusItem: Locator }

const COMPLETION = 'const b = 2;\nconst c = 3;';
const TRAILER = 'v=1 lines=6 ai=4 mixed=0 human=2 unknown=0 ai-completion=2 ai-chat=2 reviewed=1';
const cli = (repo: string, ...args: string[]): string => execFileSync(process.execPath, [CLI, ...args], { cwd: repo, encoding: 'utf8' });

export async function reviewAndPersistence(e2e: E2e): Promise<void> {
  const s = await setUp(e2e);
  const step = e2e.run.step.bind(e2e.run);
  await step('type a line, accept a completion, save', () => typeCompleteSave(s.page));
  await step('status bar shows the AI share, with its breakdown; screenshot', () => statusBar(s));
  await step('Show File Report renders the blocks with their origins in a webview', () => fileReport(s));
  await step('Mark Selection as Reviewed records who, and the hover says so', () => markReviewed(s.page));
  await step('origins and the review survive a window reload', () => reload(s));
  await step('another program writes the file; its agent labels the write with ai-provenance mark', () => agentWrite(s));
  await step('the commit counts the reviewed line and names the agent', () => commitAgentWork(s));
  await step('after the commit the committed lines carry no marks', () => marksCleared(s));
  await step('a closed file written by another program: its changed lines become external, the rest keep their origins', () => closedFileWritten(s));
}

async function setUp(e2e: E2e): Promise<S> {
  const { repo, page, server } = await bringUp(e2e.run, {
    name: 'review', repo: APP_REPO, vsixes: e2e.vsixes,
    settings: {
      'aiFixture.logFile': path.join(e2e.run.tmp, 'review', 'oracle.jsonl'),
      'provenance.useEditSourceApi': false, 'provenance.commitHook': 'never', 'editor.hover.above': false, 'javascript.validate.enable': false,
    },
  });
  const statusItem = page.locator(SELECTORS.statusBarItem, { hasText: /^AI \d+%$/ });
  return { e2e, page, repo, url: server.url, statusItem };
}

/** At the end of the file: type `lines` (Enter after each), show the fixture's completion and accept it with Tab. */
async function typeAndComplete(page: Page, lines: string[]): Promise<void> {
  for (const line of lines) {
    await page.keyboard.type(line, { delay: 15 });
    await page.keyboard.press('Enter');
  }
  await page.keyboard.press('Alt+Backslash');
  await waitForGhostText(page, COMPLETION, { timeout: 10_000 });
  await page.keyboard.press('Tab');
}

async function typeCompleteSave(page: Page): Promise<void> {
  await openFile(page, 'src/app.js');
  await focusEditor(page);
  await page.keyboard.press('Control+End');
  await typeAndComplete(page, ['const a = 1;', '// @ai-next']);
  await waitFor('the completion in the text', async () => (await visibleEditorText(page)).includes('const c = 3;'));
  await saveFile(page);
  await waitFor('the gutter', async () => (await gutterDecoratedLines(page)).join(',') === '4,5');
}

async function statusBar(s: S): Promise<void> {
  const { page, statusItem } = s;
  // 2 of the 4 changed non-blank lines hold AI text.
  await waitFor('"AI 50%" in the status bar', async () => (await statusItem.count()) > 0 && (await statusItem.first().innerText()).trim() === 'AI 50%', { timeout: 10_000 }).catch(async (e: Error) => {
    throw new Error(`${e.message}; it says ${JSON.stringify(await statusItem.allInnerTexts())}`);
  });
  await statusItem.hover();
  const tip = page.locator('.monaco-hover, .workbench-hover').filter({ hasText: 'changed non-blank line' }).first();
  await tip.waitFor({ timeout: 10_000 });
  const tipText = await tip.innerText();
  for (const want of ['4 changed non-blank lines', 'AI-written', 'human']) if (!tipText.includes(want)) throw new Error(`tooltip lacks ${want}: ${tipText}`);
  const t = await tip.boundingBox();
  const bar = await page.locator('.part.statusbar').boundingBox();
  if (!t || !bar) throw new Error('no tooltip or status bar to photograph');
  const x = Math.max(0, Math.min(t.x, bar.width - 520) - 10);
  await s.e2e.screenshots.take(page, 'status-bar.png', { x, y: t.y - 10, width: Math.min(560, bar.width - x), height: bar.y + bar.height - t.y + 10 });
  await page.mouse.move(5, 5);
}

async function fileReport(s: S): Promise<void> {
  await s.statusItem.click();
  const { content, tab } = await webviewPanel(s.page, 'AI Provenance: app.js');
  const wants = ['AI share 50%', 'AI inline completion', 'Lines 4–5'];
  const body = content.locator('body');
  const text = await waitFor('the report text', async () => {
    const t = (await body.count()) ? (await body.innerText()).replace(/\s+/g, ' ') : '';
    return wants.every((w) => t.includes(w)) ? t : null;
  }, { timeout: 15_000 }).catch(async (e: Error) => {
    throw new Error(`${e.message}: ${(await body.count()) ? await body.innerText() : '(no report page)'}`);
  });
  s.e2e.run.log(`  report: ${JSON.stringify(text.slice(0, 160))}…`);
  await closeTab(tab);
}

async function markReviewed(page: Page): Promise<void> {
  await openFile(page, 'src/app.js');
  await focusEditor(page);
  await goToLine(page, 4);
  await runCommand(page, 'AI Provenance: Mark Selection as Reviewed');
  const hover = await hoverText(page, 4, { hasText: 'reviewed by' });
  if (!hover.includes('reviewed by E2E Test')) throw new Error(`hover: ${hover}`);
  const other = await hoverText(page, 5, { hasText: 'AI Provenance' });
  if (other.includes('reviewed by')) throw new Error(`line 5 was not selected but says reviewed: ${other}`);
  await dismissHover(page);
}

async function reload(s: S): Promise<void> {
  await runCommand(s.page, 'Developer: Reload Window');
  await openWorkbench(s.page, s.url, s.repo, { statusText: FIXTURE_READY });
  await openFile(s.page, 'src/app.js');
  await waitFor('the gutter after the reload', async () => (await gutterDecoratedLines(s.page)).join(',') === '4,5', { timeout: 15_000 });
  const hover = await hoverText(s.page, 4, { hasText: 'AI Provenance' });
  if (!hover.includes('reviewed by E2E Test') || !hover.includes('AI inline completion')) throw new Error(`after reload: ${hover}`);
  await dismissHover(s.page);
}

async function agentWrite(s: S): Promise<void> {
  fs.appendFileSync(path.join(s.repo, 'src', 'app.js'), '\nconst d = 4;\nconst e = 5;\n');
  await waitFor('the reload', async () => (await visibleEditorText(s.page)).includes('const e = 5;'), { timeout: 15_000 });
  s.e2e.run.log(`  ${cli(s.repo, 'mark', '--origin', 'ai-chat', '--tool', 'e2e-agent', 'src/app.js').trim()}`);
  await waitFor('the agent lines marked', async () => (await gutterDecoratedLines(s.page)).join(',') === '4,5,6,7', { timeout: 15_000 });
  // hoverText reopens the hover until it names the agent (a hover opened before the mark keeps its old text)
  const hover = await hoverText(s.page, 6, { hasText: 'AI chat or agent by e2e-agent' });
  s.e2e.run.log(`  hover on line 6: ${JSON.stringify(hover.split('\n')[1])}`);
  await dismissHover(s.page);
}

async function commitAgentWork(s: S): Promise<void> {
  cli(s.repo, 'install-hook');
  git(s.repo, 'add', '-A');
  git(s.repo, 'commit', '-q', '-m', 'Agent work, partly reviewed');
  const value = headTrailer(s.repo, 'AI-Provenance');
  const assisted = headTrailer(s.repo, 'Assisted-by');
  s.e2e.run.log(`  AI-Provenance: ${value}\n  Assisted-by: ${assisted}`);
  if (value !== TRAILER) throw new Error(`trailer ${JSON.stringify(value)}, expected ${JSON.stringify(TRAILER)}`);
  if (assisted !== 'e2e-agent') throw new Error(`Assisted-by ${JSON.stringify(assisted)}`);
  const report = JSON.parse(cli(s.repo, 'report', 'HEAD~1..HEAD', '--json'));
  if (report.total.ai !== 4) throw new Error(`report: ${JSON.stringify(report.total)}`);
}

async function marksCleared(s: S): Promise<void> {
  await waitFor('the marks to clear', async () => (await gutterDecoratedLines(s.page)).length === 0, { timeout: 15_000 });
  await waitFor('the status bar item to hide', async () => (await s.statusItem.count()) === 0, { timeout: 10_000 });
}

async function closedFileWritten(s: S): Promise<void> {
  const { page, repo } = s;
  await focusEditor(page);
  await page.keyboard.press('Control+End');
  await page.keyboard.press('Enter');
  await typeAndComplete(page, ['// @ai-next']);
  await waitFor('the completion', async () => (await gutterDecoratedLines(page)).length === 2);
  await saveFile(page);
  const classes = (): string => readLedger(repo, 'src/app.js')?.classes ?? '';
  const saved = await waitFor('the ledger of the save', () => (/aa\.?$/.test(classes()) ? classes() : null), { timeout: 10_000 });
  await page.keyboard.press('Control+W');
  await page.waitForFunction(() => !document.querySelector('.tabs-container .tab[aria-label^="app.js"]'), null, { timeout: 10_000 });
  fs.appendFileSync(path.join(repo, 'src', 'app.js'), '\nconst generated = "by a tool";\n');
  const after = await waitFor('the watcher to record the write', () => (classes() !== saved ? classes() : null), { timeout: 15_000 });
  s.e2e.run.log(`  ledger classes before: ${saved}, after: ${after}`);
  if (!/aa\.?u\.?$/.test(after)) throw new Error(`expected the AI lines kept and the new line unknown (external): ${after}`);
}
