// The reviewer's workbench: a branch of three commits whose AI lines came
// from an accepted completion, a paste from outside the editor and Claude
// Code (played through the hooks `agents install` wrote). The file report
// opens as a rendered page whose line spans open the lines; the AI Provenance
// view's This branch section lists the three blocks, a click opens the right
// lines, Mark as Reviewed signs one off: the badge, the commit's record and
// `report --lines` follow; Toggle AI History marks the committed AI lines.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { claudeEdit, claudeHookCommands, writeTranscript } from '../../../tools/harness/claudeCode';
import type { ClaudeSession } from '../../../tools/harness/claudeCode';
import { gutterDecoratedLines, hoverText, visibleEditorText, waitForGhostText } from '../../../tools/harness/editorView';
import { CLI } from '../../../tools/harness/paths';
import { git, waitForRecord } from '../../../tools/harness/repo';
import { bringUp } from '../../../tools/harness/session';
import { waitFor } from '../../../tools/harness/wait';
import {
  activeEditor, closeTab, dismissHover, focusEditor, foldPanes, openFile, runCommand, saveFile, SELECTORS, setClipboard, waitForStill, webviewPanel,
} from '../../../tools/harness/workbench';
import type { E2e } from '../context';

interface S { e2e: E2e; page: Page; repo: string; base: string; agent: ClaudeSession }

const FILES = { 'src/app.js': '// app\n', 'src/util.js': '// util\n' };
const COMPLETION = 'const b = 2;\nconst c = 3;';
const PASTE = 'const pasted = 1;\nconst more = 2;\nconst last = 3;';
/** Claude Code's Edit of src/util.js (closed in the editor): two lines after the first. */
const AGENT_EDIT = { old: '// util\n', new: '// util\nexport const v = 2;\nexport const w = 3;\n' };
const MODEL = 'claude-opus-4-5';
const REVIEWER = 'E2E Test <e2e@example.invalid>';
/** app.js: 3-4 the completion (commit 1), 5-7 the paste (commit 2); util.js: 2-3 the agent (commit 3). */
const BLOCKS = { completion: 'Lines 3–4', paste: 'Lines 5–7', agent: 'Lines 2–3' };

const cli = (repo: string, ...args: string[]): string => execFileSync(process.execPath, [CLI, ...args], { cwd: repo, encoding: 'utf8' });

export async function reviewWorkbench(e2e: E2e): Promise<void> {
  const s = await setUp(e2e);
  const step = e2e.run.step.bind(e2e.run);
  await step('commit 1 on a new branch: an accepted inline completion', () => commitCompletion(s));
  await step('a paste from outside the editor and a typed line; Show File Report renders them (one panel however often asked); screenshot', () => fileReport(s));
  await step('a click on a line span of the report opens those lines; commit 2', () => reportOpensLines(s));
  await step('commit 3: Claude Code edits a closed file through its hooks', () => commitAgent(s));
  await step('This branch lists the three blocks; screenshot', () => listed(s));
  await step('clicking the agent\'s block opens util.js with its lines selected', () => opens(s));
  await step('Mark as Reviewed on the pasted block: the view and the badge follow', () => markFromView(s));
  await step('the record of commit 2 carries the review; report --lines names the reviewer', () => recordAndReport(s));
  await step('Toggle AI History marks the committed AI lines; the hover names the commit and the reviewer; screenshot', () => history(s));
}

async function setUp(e2e: E2e): Promise<S> {
  const home = path.join(e2e.run.tmp, 'workbench', 'home');
  fs.mkdirSync(path.join(home, '.claude'), { recursive: true });
  // The person's (and so the agent's) home, for the editor, the CLI and the agent's hooks alike.
  const homeEnv = { HOME: home, XDG_STATE_HOME: path.join(home, '.local', 'state'), XDG_CONFIG_HOME: path.join(home, '.config') };
  const { repo, page } = await bringUp(e2e.run, {
    name: 'workbench', repo: { files: FILES }, vsixes: e2e.vsixes, env: homeEnv,
    settings: { 'provenance.useEditSourceApi': false, 'provenance.commitHook': 'never', 'editor.hover.above': false, 'javascript.validate.enable': false },
  });
  // A feature branch that tracks the one it started from: This branch compares with its upstream.
  const base = git(repo, 'rev-parse', '--abbrev-ref', 'HEAD').trim();
  git(repo, 'checkout', '-q', '-b', 'review-work');
  git(repo, 'branch', '-q', `--set-upstream-to=${base}`);
  const env = { ...process.env, ...homeEnv };
  e2e.run.log(`  ${execFileSync(process.execPath, [CLI, 'install-hook'], { cwd: repo, encoding: 'utf8', env }).split('\n')[0]}`);
  execFileSync(process.execPath, [CLI, 'agents', 'install', '--project', 'claude-code'], { cwd: repo, encoding: 'utf8', env });
  // The agent's config is not part of the work the commits count.
  fs.appendFileSync(path.join(repo, '.git', 'info', 'exclude'), '.claude/\n');
  const hooks = claudeHookCommands(fs.readFileSync(path.join(repo, '.claude', 'settings.json'), 'utf8'));
  const session = '7c1d3b9f-workbench-e2e';
  const transcript = writeTranscript(home, repo, session, MODEL, 'add two constants to util.js');
  return { e2e, page, repo, base, agent: { repo, home, session, transcript, hooks } };
}

/**
 * Commits straight after the editor's save, as VS Code's own Commit does: the
 * trailer must already count what the editor saw (the hook waits for the
 * ledger of a save in flight).
 */
function commit(s: S, message: string, trailer: string): string {
  git(s.repo, 'add', '-A');
  git(s.repo, 'commit', '-q', '-m', message);
  const made = git(s.repo, 'log', '-1', '--format=%h %(trailers:key=AI-Provenance,valueonly)').trim();
  if (!made.endsWith(` ${trailer}`)) throw new Error(`trailer of "${message}": expected ${trailer}, got ${made}`);
  return made;
}

async function commitCompletion(s: S): Promise<void> {
  const { page } = s;
  await openFile(page, 'src/app.js');
  await focusEditor(page);
  await page.keyboard.press('Control+End');
  await page.keyboard.type('// @ai-next', { delay: 15 });
  await page.keyboard.press('Enter');
  await page.keyboard.press('Alt+Backslash');
  await waitForGhostText(page, COMPLETION, { timeout: 10_000 });
  await page.keyboard.press('Tab');
  await waitFor('the completion in the text', async () => (await visibleEditorText(page)).includes('const c = 3;'));
  // The file ends with a newline, as files do: the next commit's first line starts on a line of its own.
  await page.keyboard.press('Enter');
  await saveFile(page);
  await waitFor('the completion marked', async () => (await gutterDecoratedLines(page)).join(',') === '3,4', { timeout: 15_000 });
  s.e2e.run.log(`  commit 1: ${commit(s, 'Add b and c', 'v=1 lines=3 ai=2 mixed=0 human=1 unknown=0 ai-completion=2')}`);
  // The editor marked the save for the hook before VS Code wrote the file, and took the mark away once the ledger was written.
  const marks = path.join(s.repo, '.git', 'ai-provenance', 'v1', 'saving');
  if (!fs.existsSync(marks)) throw new Error('the editor left no save mark for the commit hook');
  await waitFor('the save mark taken away', async () => fs.readdirSync(marks).length === 0);
}

async function fileReport(s: S): Promise<void> {
  const { page } = s;
  await focusEditor(page);
  await page.keyboard.press('Control+End');
  await setClipboard(page, PASTE);
  await focusEditor(page); // setClipboard runs in the page; make sure keys still go to the editor
  await page.keyboard.press('Control+V');
  // The paste reads the clipboard asynchronously, and a key pressed meanwhile cancels it.
  await waitFor('the paste in the text', async () => (await visibleEditorText(page)).includes('const last = 3;'));
  await page.keyboard.press('Enter');
  await page.keyboard.type('// checked by hand', { delay: 15 });
  await saveFile(page);
  await waitFor('the paste marked', async () => (await gutterDecoratedLines(page)).join(',') === '5,6,7', { timeout: 15_000 });
  // Asked for twice: the second time reuses the first panel.
  await runCommand(page, 'AI Provenance: Show File Report');
  await focusEditor(page);
  await runCommand(page, 'AI Provenance: Show File Report');
  const { content } = await webviewPanel(page, 'AI Provenance: app.js');
  const body = content.locator('body');
  const wants = ['AI Provenance: src/app.js', 'AI share 75%', `${BLOCKS.paste} (AI-written): Pasted from outside the editor`, 'Line 8 (human): Typed'];
  const text = await waitFor('the rendered report', async () => {
    const t = (await body.count()) ? (await body.innerText()).replace(/\s+/g, ' ') : '';
    return wants.every((w) => t.includes(w)) ? t : null;
  }, { timeout: 15_000 }).catch(async (e: Error) => {
    throw new Error(`${e.message}: ${(await body.count()) ? await body.innerText() : '(no report page)'}`);
  });
  s.e2e.run.log(`  report: ${JSON.stringify(text.slice(0, 200))}…`);
  const tabs = await page.locator('.tabs-container .tab', { hasText: 'AI Provenance: app.js' }).count();
  if (tabs !== 1) throw new Error(`${tabs} report panels for app.js, expected one`);
  // Rendered, not Markdown source: a table and buttons, in the theme's colours.
  if (!(await content.locator('table td').count()) || (await content.locator('button.span').count()) !== 2) throw new Error('the report is not rendered');
  const colour = await body.evaluate((b) => getComputedStyle(b).color);
  s.e2e.run.log(`  body colour (from the theme): ${colour}`);
  // The file and its report beside it.
  const box = await page.locator('.part.editor').boundingBox();
  if (box) await s.e2e.screenshots.take(page, 'file-report.png', { x: box.x, y: box.y, width: box.width, height: Math.min(box.height, 440) });
}

async function selectedStatus(page: Page): Promise<string> {
  return (await page.locator(SELECTORS.statusBarItem, { hasText: /^Ln \d+, Col \d+/ }).allInnerTexts()).join(' ');
}

/** Waits until the active editor is `file` with a selection that ends on 1-based `line`. */
async function waitForSelection(page: Page, file: string, line: number): Promise<string> {
  return waitFor(`${file} with lines up to ${line} selected`, async () => {
    const tab = await page.locator('.editor-group-container.active .tab.active').getAttribute('aria-label').catch(() => '');
    const t = await selectedStatus(page);
    return tab?.startsWith(file) && new RegExp(`Ln ${line}, Col \\d+ \\(\\d+ selected\\)`).test(t) ? `${file}: ${t}` : null;
  }, { timeout: 10_000 }).catch(async (e: Error) => {
    throw new Error(`${e.message}: status ${JSON.stringify(await selectedStatus(page))}`);
  });
}

async function reportOpensLines(s: S): Promise<void> {
  const { page } = s;
  const { content, tab } = await webviewPanel(page, 'AI Provenance: app.js');
  // The editor's cursor elsewhere first, so the selection can only come from the click.
  await focusEditor(page);
  await page.keyboard.press('Control+Home');
  await content.locator('button.span', { hasText: BLOCKS.paste }).click();
  s.e2e.run.log(`  ${await waitForSelection(page, 'app.js', 7)}`);
  await closeTab(tab);
  s.e2e.run.log(`  commit 2: ${commit(s, 'Paste three constants', 'v=1 lines=4 ai=3 mixed=0 human=1 unknown=0 ai-paste=3')}`);
}

async function commitAgent(s: S): Promise<void> {
  s.e2e.run.log(`  ${await claudeEdit(s.agent, 'src/util.js', AGENT_EDIT, 'toolu_workbench_util')}`);
  s.e2e.run.log(`  commit 3: ${commit(s, 'Constants in util.js', 'v=1 lines=2 ai=2 mixed=0 human=0 unknown=0 ai-chat=2')}`);
  const note = await waitForRecord(s.repo, 'HEAD');
  if (!note.includes(`src/util.js 2-3 ai origin=ai-chat conf=certain tool=claude-code model=${MODEL}`)) throw new Error(`record of commit 3:\n${note}`);
}

function viewPane(page: Page): Locator {
  return page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'AI Provenance' }) }).first();
}

function rowText(pane: Locator): Promise<string[]> {
  return pane.locator('.monaco-list-row').allInnerTexts().then((t) => t.map((x) => x.replace(/\s+/g, ' ').trim()));
}

/** The rows under This branch. */
async function branchRows(pane: Locator): Promise<string[]> {
  const rows = await rowText(pane);
  const at = rows.findIndex((r) => r.startsWith('This branch'));
  return at < 0 ? [] : rows.slice(at + 1);
}

/** The numbers of the activity bar's badges (the view's own counts unreviewed AI lines). */
async function badges(page: Page): Promise<string[]> {
  return (await page.locator('.activitybar .badge-content').allInnerTexts()).map((t) => t.trim()).filter((t) => t);
}

async function listed(s: S): Promise<void> {
  const { page } = s;
  await runCommand(page, 'AI Provenance: Show the Review Queue');
  // The view's list draws only the rows in sight: fold the other panes of Source Control away, as a reviewer would.
  const pane = viewPane(page);
  await pane.waitFor({ state: 'visible', timeout: 15_000 });
  await foldPanes(page, ['Changes', 'Graph']);
  const wants = [[BLOCKS.completion, 'AI inline completion'], [BLOCKS.paste, 'Pasted from outside'], [BLOCKS.agent, 'claude-code']];
  const rows = await waitFor('the three blocks under This branch', async () => {
    const t = await branchRows(pane);
    return wants.every(([span, what]) => t.some((r) => r.startsWith(span) && r.includes(what) && r.includes('not reviewed'))) ? t : null;
  }, { timeout: 30_000 }).catch(async (e: Error) => {
    throw new Error(`${e.message}: rows ${JSON.stringify(await rowText(pane))}`);
  });
  s.e2e.run.log(`  This branch: ${JSON.stringify(rows)}`);
  if (!rows.some((r) => r.startsWith('src/app.js') && r.includes('5 unreviewed'))) throw new Error(`app.js should count 5 unreviewed lines: ${JSON.stringify(rows)}`);
  const badge = await waitFor('the badge at 7', async () => ((await badges(page)).includes('7') ? badges(page) : null), { timeout: 10_000 })
    .catch(async (e: Error) => { throw new Error(`${e.message}: badges ${JSON.stringify(await badges(page))}`); });
  s.e2e.run.log(`  badges: ${JSON.stringify(badge)}`);
  const box = await pane.boundingBox();
  if (box) await s.e2e.screenshots.take(page, 'review-view.png', { x: box.x, y: Math.max(0, box.y - 10), width: Math.max(420, box.width), height: Math.min(box.height + 10, 360) });
}

async function opens(s: S): Promise<void> {
  const { page } = s;
  await viewPane(page).locator('.monaco-list-row', { hasText: 'claude-code' }).first().click();
  s.e2e.run.log(`  ${await waitForSelection(page, 'util.js', 3)}`);
  if (!(await visibleEditorText(page)).includes('export const w = 3;')) throw new Error('util.js does not show the agent\'s lines');
}

async function markFromView(s: S): Promise<void> {
  const { page } = s;
  const pane = viewPane(page);
  const row = pane.locator('.monaco-list-row', { hasText: 'Pasted from outside' }).first();
  // Opening util.js a moment ago refreshes the view: its rows are drawn again, and a click on a row being replaced is lost.
  await waitForStill(pane);
  await row.hover();
  await row.locator('.action-label[aria-label="Mark as Reviewed (in the commit\'s record)"]').click();
  const after = await waitFor('the pasted block reviewed under This branch', async () => {
    const t = await branchRows(pane);
    return t.some((r) => r.startsWith(BLOCKS.paste) && r.includes('reviewed by E2E Test')) ? t : null;
  }, { timeout: 15_000 });
  s.e2e.run.log(`  This branch: ${JSON.stringify(after)}`);
  if (!after.some((r) => r.startsWith('src/app.js') && r.includes('2 unreviewed'))) throw new Error(`app.js should count 2 unreviewed lines: ${JSON.stringify(after)}`);
  const badge = await waitFor('the badge at 4', async () => ((await badges(page)).includes('4') ? badges(page) : null), { timeout: 10_000 })
    .catch(async (e: Error) => { throw new Error(`${e.message}: badges ${JSON.stringify(await badges(page))}`); });
  s.e2e.run.log(`  badges: ${JSON.stringify(badge)}`);
}

async function recordAndReport(s: S): Promise<void> {
  const { repo } = s;
  const note = await waitForRecord(repo, 'HEAD~1');
  s.e2e.run.log(`  record of commit 2:\n${note.trim().split('\n').map((l) => `    ${l}`).join('\n')}`);
  if (!/^src\/app\.js 5-7 ai origin=ai-paste .*review=E2E%20Test%20<e2e@example\.invalid>@\d+/m.test(note)) throw new Error('the record of commit 2 lacks the review of the paste');
  const report = cli(repo, 'report', '--lines', `${s.base}..HEAD`);
  s.e2e.run.log(`  report --lines:\n${report.trimEnd().split('\n').map((l) => `    ${l}`).join('\n')}`);
  const line = (span: string): string => report.split('\n').find((l) => l.trim().startsWith(span)) ?? '';
  if (!line('5-7').includes(REVIEWER)) throw new Error(`report --lines does not name the reviewer of 5-7:\n${report}`);
  if (line('3-4').includes(REVIEWER) || !line('2-3').includes('claude-code')) throw new Error(`report --lines:\n${report}`);
}

async function history(s: S): Promise<void> {
  const { page, repo } = s;
  await openFile(page, 'src/app.js');
  // The idle warm (provenance.history.warm, on by default) has put HEAD's history of the active file in the cache
  // before anyone asks: its cache file is there before the first toggle.
  const cacheDir = path.join(git(repo, 'rev-parse', '--path-format=absolute', '--git-path', 'ai-provenance').trim(), 'history-v1');
  const cached = `${createHash('sha256').update('src/app.js').digest('hex').slice(0, 16)}-${git(repo, 'rev-parse', 'HEAD').trim()}.json`;
  await waitFor('the idle warm to cache src/app.js at HEAD', async () => fs.existsSync(path.join(cacheDir, cached)), { timeout: 60_000 });
  await runCommand(page, 'AI Provenance: Toggle AI History');
  const short = (rev: string): string => git(repo, 'rev-parse', '--short=7', rev).trim();
  const pasted = await hoverText(page, 6, { hasText: 'AI history' });
  s.e2e.run.log(`  hover on line 6: ${JSON.stringify(pasted)}`);
  if (!pasted.includes(short('HEAD~1')) || !pasted.includes('Reviewed by E2E Test')) throw new Error(`hover: ${pasted}`);
  await dismissHover(page);
  const completed = await hoverText(page, 3, { hasText: 'AI history' });
  if (!completed.includes(short('HEAD~2')) || completed.includes('Reviewed by')) throw new Error(`hover: ${completed}`);
  await dismissHover(page);
  await activeEditor(page).screenshot({ path: s.e2e.screenshots.path('history-marks.png') });
}
