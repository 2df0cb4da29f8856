// Everyday editing with VS Code's DEFAULT settings (auto-closing, quick
// suggestions, auto-save after a delay in the browser), driven by keyboard and
// mouse, checked in the commit trailer: a typed line copied and pasted stays
// the person's; an accepted completion moved with Alt+Down, cut and pasted
// into another file stays ai-completion; a quick fix picked from the lightbulb
// with the mouse and a Replace All are not AI.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { ghostText, visibleEditorText, waitForGhostText } from '../../../tools/harness/editorView';
import { CLI } from '../../../tools/harness/paths';
import { git, headTrailer } from '../../../tools/harness/repo';
import { bringUp } from '../../../tools/harness/session';
import { HEADLESS_SETTINGS } from '../../../tools/harness/settings';
import { waitFor } from '../../../tools/harness/wait';
import { SELECTORS, focusEditor, goToLine, openFile, pickFromLightbulb, runCommand } from '../../../tools/harness/workbench';
import type { E2e } from '../context';

const COMPLETION = 'const b = 2;\nconst c = 3;';
const SHAPE = 'interface Shape {\n  area(): number;\n  name: string;\n}\n\nexport class Square implements Shape {\n}\n';
const REPO = { files: { 'src/app.js': '// app\n', 'src/util.js': '// util\n', 'src/shape.ts': SHAPE } };
const cli = (repo: string, ...args: string[]): string => execFileSync(process.execPath, [CLI, ...args], { cwd: repo, encoding: 'utf8' });

interface S { e2e: E2e; page: Page; repo: string }

export async function everydayEdits(e2e: E2e): Promise<void> {
  const { repo, page } = await bringUp(e2e.run, {
    name: 'everyday', repo: REPO, vsixes: e2e.vsixes, baseSettings: HEADLESS_SETTINGS,
    settings: { 'aiFixture.logFile': path.join(e2e.run.tmp, 'everyday', 'oracle.jsonl'), 'provenance.useEditSourceApi': false, 'provenance.commitHook': 'never' },
  });
  const s: S = { e2e, page, repo };
  const step = e2e.run.step.bind(e2e.run);
  await step('type a line, select it with Shift+Home, Ctrl+C, End, Enter, Ctrl+V', () => copyPasteTyped(s));
  await step('accept a completion with Tab, move its first line down with Alt+Down', () => completeAndMove(s));
  await step('cut the two AI lines (Ctrl+X) and paste them into another file (Ctrl+V)', () => cutPasteCompletion(s));
  await step('Replace All (Ctrl+H, Ctrl+Alt+Enter) over the typed lines', () => replaceAllTyped(s));
  await step('once the error is squiggled, click the lightbulb and pick Implement interface with the mouse', () => quickFixWithMouse(s));
  await step('the commit: the pasted, replaced and quick-fixed lines human, the moved completion ai-completion', () => commitAndCheck(s));
}

async function waitEditor(page: Page, what: string, pred: (t: string) => boolean): Promise<void> {
  await waitFor(what, async () => pred(await visibleEditorText(page)), { timeout: 15_000 });
}

async function copyPasteTyped({ page }: S): Promise<void> {
  await openFile(page, 'src/app.js');
  await focusEditor(page);
  await page.keyboard.press('Control+End');
  await page.keyboard.type('const p = 1;', { delay: 15 });
  await page.keyboard.press('Escape'); // a suggestion widget must not take the Enter below
  await page.keyboard.press('Shift+Home');
  await page.keyboard.press('Control+C');
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Control+V');
  await waitEditor(page, 'the pasted line', (t) => t.split('const p = 1;').length === 3);
}

async function completeAndMove({ page }: S): Promise<void> {
  await page.keyboard.press('Enter');
  await page.keyboard.type('// @ai-next', { delay: 15 });
  await page.keyboard.press('Escape');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Alt+Backslash');
  await waitForGhostText(page, COMPLETION, { timeout: 15_000 });
  await page.keyboard.press('Tab');
  await waitFor('the ghost text to go', async () => (await ghostText(page)) === '');
  await waitEditor(page, 'the completion', (t) => t.includes(COMPLETION));
  await goToLine(page, 5);
  await page.keyboard.press('Alt+ArrowDown');
  await waitEditor(page, 'the moved line', (t) => t.includes('const c = 3;\nconst b = 2;'));
}

async function cutPasteCompletion({ page }: S): Promise<void> {
  await goToLine(page, 5);
  await page.keyboard.press('Home');
  await page.keyboard.press('Shift+ArrowDown');
  await page.keyboard.press('Shift+End');
  await page.keyboard.press('Control+X');
  await waitEditor(page, 'the cut', (t) => !t.includes('const b = 2;'));
  await openFile(page, 'src/util.js');
  await page.keyboard.press('Control+End');
  await page.keyboard.press('Control+V');
  await waitEditor(page, 'the paste', (t) => t.includes('const c = 3;\nconst b = 2;'));
}

async function replaceAllTyped({ page }: S): Promise<void> {
  await openFile(page, 'src/app.js');
  await page.keyboard.press('Control+H');
  const find = page.locator('.editor-widget.find-widget .find-part textarea').first();
  const repl = page.locator('.editor-widget.find-widget .replace-part textarea').first();
  await find.waitFor({ state: 'visible', timeout: 15_000 });
  await find.fill('p = 1');
  await repl.fill('p = 10');
  await repl.focus();
  await page.keyboard.press('Control+Alt+Enter');
  await waitEditor(page, 'every match replaced', (t) => t.split('const p = 10;').length === 3);
  await page.keyboard.press('Escape');
}

async function quickFixWithMouse({ e2e, page }: S): Promise<void> {
  await openFile(page, 'src/shape.ts');
  // The cursor into `Square` on line 6, where the error is; a person checks where it is.
  const onSquare = async (): Promise<void> => {
    await goToLine(page, 6, 16);
    await page.locator(SELECTORS.statusBarItem, { hasText: 'Ln 6, Col 16' }).first().waitFor({ timeout: 10_000 });
  };
  await pickFromLightbulb(page, 'Implement interface', onSquare, { log: (l) => e2e.run.log(l) });
  await waitEditor(page, 'the implemented members', (t) => t.includes('area(): number {'));
}

async function commitAndCheck(s: S): Promise<void> {
  await runCommand(s.page, 'File: Save All Files');
  const onDisk = (rel: string, text: string): boolean => fs.readFileSync(path.join(s.repo, rel), 'utf8').includes(text);
  await waitFor('every file saved', () => onDisk('src/util.js', 'const b = 2;') && onDisk('src/shape.ts', 'area(): number {'), { timeout: 15_000 });
  cli(s.repo, 'install-hook');
  git(s.repo, 'add', '-A');
  git(s.repo, 'commit', '-q', '-m', 'Everyday edits');
  const value = headTrailer(s.repo, 'AI-Provenance').trim();
  s.e2e.run.log(`  AI-Provenance: ${value}`);
  const kv = Object.fromEntries(value.split(/\s+/).map((p) => p.split('=')));
  const n = (k: string): number => Number(kv[k] ?? 0);
  // app.js: two typed-and-pasted lines (Replace All), the typed trigger line; util.js: the two AI lines;
  // shape.ts: the members the quick fix wrote (ide, a person's tool: human).
  if (n('ai') !== 2 || n('ai-completion') !== 2 || n('mixed') !== 0 || n('unknown') !== 0 || n('human') !== n('lines') - 2 || n('lines') < 8) {
    throw new Error(`trailer ${JSON.stringify(value)}: expected ai=2 ai-completion=2, the rest human`);
  }
}
