// The record through rewrites: lines typed and completed in VS Code, committed
// from the Source Control view; then, in a terminal, `git commit --amend -m`
// and a `rebase -i` squash. The record (git notes on refs/notes/ai-provenance)
// of the final commit names exactly the AI lines, and its trailer agrees.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { gutterDecoratedLines, visibleEditorText, waitForGhostText } from '../../../tools/harness/editorView';
import { CLI } from '../../../tools/harness/paths';
import { git, headTrailer, waitForRecord } from '../../../tools/harness/repo';
import { bringUp } from '../../../tools/harness/session';
import { waitFor } from '../../../tools/harness/wait';
import { commitFromScm as commitInScmView, focusEditor, openFile, saveFile } from '../../../tools/harness/workbench';
import { APP_REPO, type E2e } from '../context';

interface S { e2e: E2e; page: Page; repo: string }

const COMPLETION = 'const b = 2;\nconst c = 3;';
/** Lines 2-3 typed, 4-5 the accepted completion. */
const AI_ENTRY = 'src/app.js 4-5 ai origin=ai-completion conf=certain';
const RECORD = ['src/app.js 2-3 human', AI_ENTRY];

export async function recordThroughRewrites(e2e: E2e): Promise<void> {
  const s = await setUp(e2e);
  const step = e2e.run.step.bind(e2e.run);
  await step('type two lines, accept a completion, save', () => typeCompleteSave(s.page));
  await step('install the hooks; stage in a terminal', async () => {
    execFileSync(process.execPath, [CLI, 'install-hook'], { cwd: s.repo, encoding: 'utf8' });
    git(s.repo, 'add', '-A');
  });
  await step('commit from the Source Control view', () => commitFromScm(s));
  await step('the record names the AI lines, the trailer agrees', () => checkRecord(s, 'HEAD', RECORD, 'v=1 lines=4 ai=2 mixed=0 human=2 unknown=0 ai-completion=2'));
  await step('git commit --amend -m in a terminal: the record is carried', async () => {
    git(s.repo, 'commit', '-q', '--amend', '-m', 'Add b and c, reworded');
    await checkRecord(s, 'HEAD', RECORD, 'v=1 lines=4 ai=2 mixed=0 human=2 unknown=0 ai-completion=2');
  });
  await step('a second commit, then rebase -i squashing it into the first: one trailer, the AI lines still named', () => squash(s));
  await step('verify: every commit agrees with its record', async () => {
    const out = execFileSync(process.execPath, [CLI, 'verify', 'HEAD~1..HEAD'], { cwd: s.repo, encoding: 'utf8' });
    s.e2e.run.log(`  verify: ${out.trim()}`);
  });
}

async function setUp(e2e: E2e): Promise<S> {
  const { repo, page } = await bringUp(e2e.run, {
    name: 'record-rewrites', repo: APP_REPO, vsixes: e2e.vsixes,
    settings: { 'provenance.useEditSourceApi': false, 'provenance.commitHook': 'never', 'javascript.validate.enable': false },
  });
  return { e2e, page, repo };
}

async function typeCompleteSave(page: Page): Promise<void> {
  await openFile(page, 'src/app.js');
  await focusEditor(page);
  await page.keyboard.press('Control+End');
  for (const line of ['const a = 1;', '// @ai-next']) {
    await page.keyboard.type(line, { delay: 15 });
    await page.keyboard.press('Enter');
  }
  await page.keyboard.press('Alt+Backslash');
  await waitForGhostText(page, COMPLETION, { timeout: 10_000 }).catch(async () => {
    await page.keyboard.press('Alt+Backslash');
    await waitForGhostText(page, COMPLETION, { timeout: 10_000 });
  });
  await page.keyboard.press('Tab');
  await waitFor('the completion in the text', async () => (await visibleEditorText(page)).includes('const c = 3;'));
  await saveFile(page);
  await waitFor('the gutter', async () => (await gutterDecoratedLines(page)).join(',') === '4,5', { timeout: 10_000 });
}

async function commitFromScm(s: S): Promise<void> {
  await commitInScmView(s.page, 'Add b and c');
  await waitFor('the commit', () => git(s.repo, 'log', '-1', '--format=%s') === 'Add b and c', { timeout: 20_000 });
}

/** The record's entries (header checked), once the commit has one (post-commit may store it in the background). */
async function recordOf(repo: string, rev: string): Promise<string[]> {
  const text = await waitForRecord(repo, rev);
  const lines = text.split('\n').filter((l) => l !== '');
  if (lines[0] !== 'ai-provenance v1') throw new Error(`not a v1 record: ${JSON.stringify(text)}`);
  return lines.slice(1);
}

async function checkRecord(s: S, rev: string, want: string[], trailer: string): Promise<void> {
  const got = await recordOf(s.repo, rev);
  s.e2e.run.log(`  record of ${rev}: ${JSON.stringify(got)}`);
  if (JSON.stringify(got) !== JSON.stringify(want)) throw new Error(`record ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
  const value = headTrailer(s.repo, 'AI-Provenance');
  if (value !== trailer) throw new Error(`trailer ${JSON.stringify(value)}, expected ${JSON.stringify(trailer)}`);
}

async function squash(s: S): Promise<void> {
  fs.writeFileSync(`${s.repo}/NOTES.txt`, 'written in a terminal\n');
  git(s.repo, 'add', 'NOTES.txt');
  git(s.repo, 'commit', '-q', '-m', 'Notes');
  execFileSync('git', ['rebase', '-q', '-i', 'HEAD~2'], {
    cwd: s.repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, GIT_SEQUENCE_EDITOR: "sed -i -e '2s/^pick/squash/'", GIT_EDITOR: 'true' },
  });
  if (git(s.repo, 'rev-list', '--count', 'HEAD') !== '2') throw new Error('the squash did not leave two commits');
  const message = git(s.repo, 'log', '-1', '--format=%B');
  if (message.split('\n').filter((l) => l.startsWith('AI-Provenance:')).length !== 1) throw new Error(`not one trailer: ${JSON.stringify(message)}`);
  await checkRecord(s, 'HEAD', ['NOTES.txt 1 unknown', ...RECORD], 'v=1 lines=5 ai=2 mixed=0 human=2 unknown=1 ai-completion=2');
}
