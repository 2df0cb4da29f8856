import type { Page } from 'playwright-core';
import { activeEditor, pickFromLightbulb } from '../../../tools/harness/workbench';
import type { Driver, Sel } from '../driver';
import type { Scenario } from './scenario';

/** The code action menu's rows (Refactor…, Source Action…, the lightbulb's). */
const ACTION_ROWS = '.action-widget .monaco-list-row';

/** Screen point of character `col` (0-based) on 0-based `line` of the active editor, read from the rendered text. */
async function point(page: Page, line: number, col: number): Promise<{ x: number; y: number }> {
  const p = await activeEditor(page).evaluate((e, { ln, ch }) => {
    const n = [...e.querySelectorAll('.margin-view-overlays .line-numbers')].find((x) => Number((x.textContent ?? '').trim()) === ln + 1);
    if (!n) return null;
    const nr = n.getBoundingClientRect();
    const y = nr.top + nr.height / 2;
    const vl = [...e.querySelectorAll('.view-lines .view-line')].find((l) => { const r = l.getBoundingClientRect(); return y >= r.top && y < r.bottom; });
    if (!vl) return null;
    const walker = document.createTreeWalker(vl, NodeFilter.SHOW_TEXT);
    let left = ch;
    for (let t = walker.nextNode() as Text | null; t; t = walker.nextNode() as Text | null) {
      if (left < t.length) {
        const range = document.createRange();
        range.setStart(t, left);
        range.setEnd(t, left + 1);
        return { x: range.getBoundingClientRect().left + 1, y };
      }
      left -= t.length;
    }
    return null;
  }, { ln: line, ch: col });
  if (!p) throw new Error(`line ${line + 1}, character ${col} not shown`);
  return p;
}

/** Right-clicks a few characters into the selection (a right-click outside it would move the cursor) and clicks a context menu item. */
async function contextMenu(page: Page, item: RegExp, sel: Sel): Promise<void> {
  const at = await point(page, sel.line ?? 0, (sel.character ?? 0) + 3);
  await page.mouse.click(at.x, at.y, { button: 'right' });
  const row = page.locator('.context-view .monaco-menu .action-item, .monaco-menu .action-item').filter({ hasText: item }).first();
  await row.waitFor({ state: 'visible', timeout: 10_000 });
  await row.click();
}

/**
 * Opens a context menu's code action list and clicks `action` in it with the mouse; asks again (Escape,
 * the selection set anew) while the TypeScript server has not offered it yet.
 */
async function pickFromMenu(c: Driver, rel: string, menu: RegExp, action: string, sel: Sel): Promise<void> {
  const item = c.page.locator(ACTION_ROWS).filter({ hasText: action }).first();
  for (let attempt = 1; ; attempt++) {
    await c.select(sel);
    await contextMenu(c.page, menu, sel);
    if (await item.waitFor({ state: 'visible', timeout: 10_000 }).then(() => true, () => false)) break;
    if (attempt >= 6) throw new Error(`no "${action}" offered; the menu has ${JSON.stringify(await c.page.locator(ACTION_ROWS).allTextContents())}`);
    await c.page.keyboard.press('Escape');
    await c.quiet(rel, 2_000);
  }
  await item.hover();
  await item.click();
}

export const refactorMouse: Scenario = {
  name: 'refactor-mouse', channel: 'ide',
  about: 'code actions picked with the mouse in TS: Extract to function (right-click > Refactor…), Move to a new file (right-click > Refactor…), a lightbulb quick fix landing 15 lines below the cursor, Add all missing imports (right-click > Source Action…)',
  async run(c) {
    // Add missing function declaration, from the lightbulb with the mouse (once the TypeScript server reports the
    // problem: this warms it for the rest): it lands at the end of the file, 15 lines below
    const fx = 'refactor/fix.ts';
    await c.open(fx);
    const v = await c.version(fx);
    await pickFromLightbulb(c.page, "Add missing function declaration 'compute'", () => c.select({ line: 1, character: 13 }));
    await c.waitVersionAbove(fx, v, 'the quick fix', 30_000);
    await c.waitText(fx, (t) => t.includes('function compute('), 'the declared function', 30_000);
    await c.quiet(fx, 300);
    // Extract to function in module scope: a base line and a typed one of a function, selected, right-click > Refactor…
    const ex = 'refactor/extract.ts';
    await c.open(ex);
    await c.cursorAtEndOf(ex, "console.log('two');");
    await c.type(ex, "\nconsole.log('three');");
    await c.asPerson('extract to function', async () => {
      await pickFromMenu(c, ex, /^\s*Refactor/, 'Extract to function in module scope', { line: 2, character: 2, endLine: 3, endCharacter: 23 });
      await c.waitText(ex, (t) => t.includes('function newFunction'), 'the extracted function', 60_000);
      await c.quiet(ex, 500);
    });
    await c.page.keyboard.press('Escape'); // the rename box TypeScript opens on the new name
    // Move to a new file: a function selected, right-click > Refactor…; TypeScript writes refactor/other.ts, which no editor shows
    const mv = 'refactor/move.ts';
    await c.open(mv);
    await c.asPerson('move to a new file', async () => {
      await pickFromMenu(c, mv, /^\s*Refactor/, 'Move to a new file', { line: 4, character: 0, endLine: 7, endCharacter: 1 });
      await c.waitText(mv, (t) => !t.includes('export function other'), 'the moved function gone', 60_000);
      // measured when the scenario ends (saved through the fixture); the extension host may already have let go of
      // a document no editor shows, so its text is not waited for here
      c.files.add('refactor/other.ts');
      await c.quiet(mv, 1_000);
    });
    // Add all missing imports: right-click > Source Action…
    const im = 'refactor/imports.ts';
    await c.open(im);
    await activeEditor(c.page).locator('.squiggly-error').first().waitFor({ state: 'visible', timeout: 120_000 });
    await pickFromMenu(c, im, /^\s*Source Action/, 'Add all missing imports', { line: 0, character: 17 });
    await c.waitText(im, (t) => t.includes('import { helper }'), 'the import', 30_000);
    await c.quiet(im, 300);
  },
};
