// Reading what the active editor shows: its text, the inline suggestion's
// ghost text, gutter icons, hovers. Visible lines only.
import type { Page } from 'playwright-core';
import { SELECTORS, activeEditor } from './workbench';
import { sleep } from './wait';

/** Text of the active editor as rendered (view lines top to bottom), without inline-suggestion ghost text. */
export async function visibleEditorText(page: Page): Promise<string> {
  return activeEditor(page).evaluate((ed) => {
    const lines = [...ed.querySelectorAll<HTMLElement>('.view-lines .view-line')];
    return lines
      .map((l) => {
        const c = l.cloneNode(true) as HTMLElement;
        for (const g of c.querySelectorAll('.ghost-text-decoration, .ghost-text-decoration-preview, .ghost-text')) g.remove();
        return { top: parseFloat(l.style.top) || 0, text: (c.textContent ?? '').replace(/\u00a0/g, ' ') };
      })
      .sort((a, b) => a.top - b.top)
      .map((l) => l.text)
      .join('\n');
  });
}

/**
 * The inline suggestion's ghost text ('' if none): its first line is spans
 * inside the cursor's real `.view-line`, the further lines a view zone.
 */
export async function ghostText(page: Page): Promise<string> {
  return activeEditor(page).evaluate((ed) => {
    const clean = (s: string): string => s.replace(/\u00a0/g, ' ');
    const inline = [...ed.querySelectorAll('.view-lines .ghost-text-decoration, .view-lines .ghost-text-decoration-preview')]
      .map((e) => e.textContent ?? '').join('');
    const extra = [...ed.querySelectorAll('.view-zones .suggest-preview-text .view-line')].map((l) => l.textContent ?? '');
    if (!inline && extra.length === 0) return '';
    return clean([inline, ...extra].join('\n'));
  });
}

/** Waits until the ghost text is exactly `want` (or contains it, with `contains`). */
export async function waitForGhostText(page: Page, want: string, { timeout = 5_000, contains = false } = {}): Promise<string> {
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
 * 1-based line numbers of the active editor that carry a gutter icon (a
 * decoration with gutterIconPath: a `.cgmr` element in the glyph margin).
 * Needs line numbers on (the default).
 */
export async function gutterDecoratedLines(page: Page): Promise<number[]> {
  return activeEditor(page).evaluate((ed, sel) => {
    const nums = [...ed.querySelectorAll('.margin-view-overlays .line-numbers')].map((n) => {
      const r = n.getBoundingClientRect();
      return { line: Number((n.textContent ?? '').trim()), mid: r.top + r.height / 2 };
    });
    const out = new Set<number>();
    for (const g of ed.querySelectorAll(sel)) {
      const r = g.getBoundingClientRect();
      for (const n of nums) if (n.mid >= r.top && n.mid < r.bottom) out.add(n.line);
    }
    return [...out].sort((a, b) => a - b);
  }, SELECTORS.glyphMarginDecoration);
}

/** Screen position of character `column` (1-based) of 1-based `line` of the active editor (its middle, or just before its left edge), or null if not visible. */
async function charPosition(page: Page, line: number, column: number, at: 'middle' | 'before' = 'middle'): Promise<{ x: number; y: number } | null> {
  return activeEditor(page).evaluate((e, { ln, col, before }) => {
    const n = [...e.querySelectorAll('.margin-view-overlays .line-numbers')].find((x) => Number((x.textContent ?? '').trim()) === ln);
    if (!n) return null;
    const nr = n.getBoundingClientRect();
    const y = nr.top + nr.height / 2;
    const vl = [...e.querySelectorAll('.view-lines .view-line')].find((l) => {
      const r = l.getBoundingClientRect();
      return y >= r.top && y < r.bottom;
    });
    if (!vl) return null;
    const walker = document.createTreeWalker(vl, NodeFilter.SHOW_TEXT);
    let left = col - 1;
    for (let t = walker.nextNode() as Text | null; t; t = walker.nextNode() as Text | null) {
      if (left < t.length) {
        const range = document.createRange();
        range.setStart(t, left);
        range.setEnd(t, left + 1);
        const r = range.getBoundingClientRect();
        return { x: before ? r.left - 2 : r.left + r.width / 2, y };
      }
      left -= t.length;
    }
    return null;
  }, { ln: line, col: column, before: at === 'before' });
}

/**
 * Drags the active editor's selection with the mouse, as a person does
 * (`editor.dragAndDrop`, on by default): presses on character `from` (inside
 * the selection), moves a little on it, then in steps, and drops just before character `to`
 * (1-based lines and columns, both visible). With `copy`, Ctrl is held at the
 * drop (VS Code's copy modifier off macOS): the text is copied, not moved.
 */
export async function dragSelection(page: Page, from: { line: number; column: number }, to: { line: number; column: number }, { copy = false } = {}): Promise<void> {
  const a = await charPosition(page, from.line, from.column);
  const b = await charPosition(page, to.line, to.column, 'before');
  if (!a || !b) throw new Error(`cannot drag from ${from.line}:${from.column} to ${to.line}:${to.column}: not visible`);
  await page.mouse.move(a.x, a.y);
  await sleep(300);
  await page.mouse.down();
  await sleep(100);
  // The first move must stay on the selection: VS Code takes the selection under it as the one dragged.
  await page.mouse.move(a.x + 3, a.y);
  await sleep(100);
  const steps = 10;
  for (let k = 1; k <= steps; k++) {
    await page.mouse.move(a.x + ((b.x - a.x) * k) / steps, a.y + ((b.y - a.y) * k) / steps);
    await sleep(40);
  }
  if (copy) await page.keyboard.down('Control');
  await sleep(200);
  await page.mouse.up();
  if (copy) await page.keyboard.up('Control');
}

/**
 * Moves the mouse over `column` (default 2) of 1-based `line` and returns the
 * text of the editor hover that appears (its content blocks, one per line).
 * With `hasText`, waits for a block containing it (30 s by default: other
 * hover providers, e.g. TypeScript still analysing, hold the hover at
 * "Loading…"); a hover opened before the decorations changed keeps its old
 * text, so it is closed and opened again every 5 s until then.
 */
export async function hoverText(page: Page, line: number, { column = 2, timeout = 30_000, hasText }: { column?: number; timeout?: number; hasText?: string } = {}): Promise<string> {
  const pos = await charPosition(page, line, column);
  if (!pos) throw new Error(`line ${line}, column ${column} is not visible`);
  const ed = activeEditor(page);
  const end = Date.now() + timeout;
  for (;;) {
    await page.mouse.move(5, 5); // leave any previous hover first
    await page.mouse.move(pos.x, pos.y);
    await page.mouse.move(pos.x + 1, pos.y); // a second move: the hover controller reacts to mousemove
    const left = end - Date.now();
    try {
      await ed.locator(SELECTORS.hoverContents, hasText ? { hasText } : {}).first().waitFor({ state: 'visible', timeout: Math.max(1, Math.min(left, 5_000)) });
      return (await ed.locator(SELECTORS.hoverContents).allTextContents()).join('\n');
    } catch (err) {
      if (Date.now() >= end) throw err;
      await page.keyboard.press('Escape');
    }
  }
}
