// The reviewer's workbench: the AI Provenance view lists the uncommitted AI
// blocks (a completion, a paste, an agent's write), a click opens the lines,
// the inline Mark as Reviewed updates the view; the commit's record and the
// report carry the review; Toggle AI History marks the committed AI lines.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { gutterDecoratedLines, hoverText, visibleEditorText, waitForGhostText } from '../../../tools/harness/editorView';
import { CLI } from '../../../tools/harness/paths';
import { git, waitForRecord } from '../../../tools/harness/repo';
import { bringUp } from '../../../tools/harness/session';
import { waitFor } from '../../../tools/harness/wait';
import { activeEditor, dismissHover, focusEditor, openFile, runCommand, saveFile, SELECTORS, setClipboard } from '../../../tools/harness/workbench';
import { APP_REPO, type E2e } from '../context';

interface S { e2e: E2e; page: Page; repo: string }

const COMPLETION = 'const b = 2;\nconst c = 3;';
const cli = (repo: string, ...args: string[]): string => execFileSync(process.execPath, [CLI, ...args], { cwd: repo, encoding: 'utf8' });

export async function reviewWorkbench(e2e: E2e): Promise<void> {
  const { repo, page } = await bringUp(e2e.run, {
    name: 'workbench', repo: APP_REPO, vsixes: e2e.vsixes,
    settings: { 'provenance.useEditSourceApi': false, 'provenance.commitHook': 'never', 'editor.hover.above': false, 'javascript.validate.enable': false },
  });
  const s: S = { e2e, page, repo };
  const step = e2e.run.step.bind(e2e.run);
  await step('a completion, a paste and an agent\'s write, saved', () => produce(s));
  await step('the AI Provenance view lists the three blocks of src/app.js; screenshot', () => listed(s));
  await step('clicking a block opens the file with its lines selected', () => opens(s));
  await step('Mark as Reviewed on a block: the view and the badge follow', () => markFromView(s));
  await step('the commit record carries the review, and report names the reviewer', () => commitAndReport(s));
  await step('Toggle AI History marks the committed AI lines; the hover names the commit; screenshot', () => history(s));
}

async function produce(s: S): Promise<void> {
  const { page, repo } = s;
  await openFile(page, 'src/app.js');
  await focusEditor(page);
  await page.keyboard.press('Control+End');
  await page.keyboard.type('// @ai-next', { delay: 15 });
  await page.keyboard.press('Enter');
  await page.keyboard.press('Alt+Backslash');
  await waitForGhostText(page, COMPLETION, { timeout: 10_000 });
  await page.keyboard.press('Tab');
  await waitFor('the completion in the text', async () => (await visibleEditorText(page)).includes('const c = 3;'));
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  await setClipboard(page, 'const pasted = "from a chat";');
  await focusEditor(page);
  await page.keyboard.press('Control+V');
  await saveFile(page);
  fs.appendFileSync(path.join(repo, 'src', 'app.js'), '\nconst agent = 4;\n');
  await waitFor('the reload', async () => (await visibleEditorText(page)).includes('const agent = 4;'), { timeout: 15_000 });
  s.e2e.run.log(`  ${cli(repo, 'mark', '--origin', 'ai-chat', '--tool', 'e2e-agent', 'src/app.js').trim()}`);
  await waitFor('three AI blocks in the gutter', async () => (await gutterDecoratedLines(page)).length >= 4, { timeout: 15_000 });
  s.e2e.run.log(`  marked lines: ${(await gutterDecoratedLines(page)).join(',')}`);
}

function viewPane(page: Page): Locator {
  return page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'AI Provenance' }) }).first();
}

function rowText(pane: Locator): Promise<string[]> {
  return pane.locator('.monaco-list-row').allInnerTexts().then((t) => t.map((x) => x.replace(/\s+/g, ' ').trim()));
}

async function listed(s: S): Promise<void> {
  const { page } = s;
  await runCommand(page, 'AI Provenance: Show the Review Queue');
  const pane = viewPane(page);
  const rows = await waitFor('the blocks in the view', async () => {
    const t = await rowText(pane);
    return t.some((r) => r.includes('AI inline completion')) && t.some((r) => r.includes('Pasted from outside')) && t.some((r) => r.includes('e2e-agent')) ? t : null;
  }, { timeout: 20_000 }).catch(async (e: Error) => {
    throw new Error(`${e.message}: rows ${JSON.stringify(await rowText(pane))}`);
  });
  s.e2e.run.log(`  rows: ${JSON.stringify(rows)}`);
  if (!rows.some((r) => r.startsWith('src/app.js') && r.includes('unreviewed'))) throw new Error(`no file row with its unreviewed count: ${JSON.stringify(rows)}`);
  const box = await pane.boundingBox();
  if (box) await s.e2e.screenshots.take(page, 'review-view.png', { x: box.x, y: Math.max(0, box.y - 10), width: Math.max(420, box.width), height: Math.min(box.height + 10, 360) });
}

async function selectedStatus(page: Page): Promise<string> {
  return (await page.locator(SELECTORS.statusBarItem, { hasText: /^Ln \d+, Col \d+/ }).allInnerTexts()).join(' ');
}

async function opens(s: S): Promise<void> {
  const { page } = s;
  await viewPane(page).locator('.monaco-list-row', { hasText: 'AI inline completion' }).first().click();
  const status = await waitFor('the block selected', async () => {
    const t = await selectedStatus(page);
    // The completion is lines 3-4; the selection ends at the end of line 4.
    return /Ln 4, Col \d+ \(\d+ selected\)/.test(t) ? t : null;
  }, { timeout: 10_000 }).catch(async (e: Error) => {
    throw new Error(`${e.message}: status ${JSON.stringify(await selectedStatus(page))}`);
  });
  s.e2e.run.log(`  ${status}`);
}

async function markFromView(s: S): Promise<void> {
  const { page } = s;
  const pane = viewPane(page);
  const row = pane.locator('.monaco-list-row', { hasText: 'AI inline completion' }).first();
  const before = await rowText(pane);
  await row.hover();
  await row.locator('.action-label[aria-label="Mark as Reviewed"]').click();
  const after = await waitFor('the block reviewed in the view', async () => {
    const t = await rowText(pane);
    return t.some((r) => r.includes('AI inline completion') && r.includes('reviewed by E2E Test')) ? t : null;
  }, { timeout: 15_000 });
  const count = (rows: string[]): number => Number(/(\d+) unreviewed/.exec(rows.find((r) => r.startsWith('src/app.js')) ?? '')?.[1] ?? 0);
  s.e2e.run.log(`  unreviewed before ${count(before)}, after ${count(after)}`);
  if (count(after) !== count(before) - 2) throw new Error(`the file row should count 2 fewer unreviewed lines: ${JSON.stringify(after)}`);
}

async function commitAndReport(s: S): Promise<void> {
  const { repo } = s;
  cli(repo, 'install-hook');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'Completion, paste and agent lines');
  const note = await waitForRecord(repo, 'HEAD');
  s.e2e.run.log(`  record:\n${note.trim().split('\n').map((l) => `    ${l}`).join('\n')}`);
  if (!/origin=ai-completion .*review=E2E%20Test%20<e2e@example\.invalid>@\d+/.test(note)) throw new Error('the record lacks the review of the completion');
  const report = cli(repo, 'report', 'HEAD');
  if (!report.includes('Reviews (from the records):') || !report.includes('reviewed by E2E Test <e2e@example.invalid>')) throw new Error(`report:\n${report}`);
}

async function history(s: S): Promise<void> {
  const { page, repo } = s;
  await openFile(page, 'src/app.js');
  await runCommand(page, 'AI Provenance: Toggle AI History');
  const short = git(repo, 'rev-parse', '--short=7', 'HEAD').trim();
  const hover = await hoverText(page, 3, { hasText: 'AI history' });
  s.e2e.run.log(`  hover: ${JSON.stringify(hover)}`);
  if (!hover.includes(short) || !hover.includes('Reviewed by E2E Test')) throw new Error(`hover: ${hover}`);
  await dismissHover(page);
  await activeEditor(page).screenshot({ path: s.e2e.screenshots.path('history-marks.png') });
}
