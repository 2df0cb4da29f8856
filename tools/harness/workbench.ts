// Driving the VS Code workbench the way a person does: Quick Open, the
// Command Palette, the keyboard, the clipboard, the mouse. DOM facts of
// VS Code 1.139.1: test/e2e/README.md.
import path from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { sleep, waitFor } from './wait';

/** Small named settle delays, for the few places where no DOM condition exists. */
export const SETTLE = {
  /** after the editor got focus, before the first key (keybinding contexts update async) */
  focus: 150,
};

export const SELECTORS = {
  /** the quick input's text box (Quick Open, Command Palette, Go to Line) */
  quickInput: '.quick-input-widget .quick-input-box input',
  quickInputFirstRow: '.quick-input-widget .quick-input-list .monaco-list-row',
  quickInputFocusedLabel: '.quick-input-widget .quick-input-list .monaco-list-row.focused .quick-input-list-label .label-name',
  /**
   * gutter icons of extensions' decorations (gutterIconPath): class "cgmr codicon ced-<n>-TextEditorDecorationType<k>-<n>";
   * not VS Code's own glyphs there (the code-action light bulb is "cgmr codicon codicon-light-bulb")
   */
  glyphMarginDecoration: '.glyph-margin-widgets .cgmr[class*="TextEditorDecorationType"]',
  /** one block of hover content each (markdown hovers, diagnostics, ...) */
  hoverContents: '.monaco-resizable-hover .monaco-hover .hover-contents',
  /** notification toasts (bottom right) */
  notificationMessage: '.notifications-toasts .notification-list-item-message',
  statusBarItem: '.part.statusbar .statusbar-item',
};

/**
 * Opens the workbench on `folder` and waits until it is usable: workbench
 * parts rendered, the explorer showing the folder, and (optionally) a status
 * bar item with the given text (e.g. a fixture extension's ready marker).
 */
export async function openWorkbench(page: Page, url: string, folder: string, { statusText, timeout = 90_000 }: { statusText?: string; timeout?: number } = {}): Promise<void> {
  await page.goto(`${url}/?folder=${encodeURIComponent(folder)}`, { waitUntil: 'domcontentloaded', timeout });
  await page.locator('.monaco-workbench .part.editor').waitFor({ state: 'visible', timeout });
  await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout });
  // the explorer lists the folder's entries once the file service is up
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ state: 'visible', timeout });
  if (statusText) {
    await page.locator(SELECTORS.statusBarItem, { hasText: statusText }).first().waitFor({ state: 'visible', timeout });
  }
}

/** The active editor (monaco) of the active editor group. */
export function activeEditor(page: Page): Locator {
  return page.locator('.editor-group-container.active .editor-instance .monaco-editor').first();
}

async function quickInputClosed(page: Page, timeout = 10_000): Promise<void> {
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout });
}

/** Opens `relPath` (relative to the workspace) through Quick Open (Ctrl+P) and waits for its editor to be focused. */
export async function openFile(page: Page, relPath: string, { timeout = 20_000 } = {}): Promise<void> {
  const base = path.posix.basename(relPath);
  await page.keyboard.press('Control+P');
  const input = page.locator(SELECTORS.quickInput);
  await input.waitFor({ state: 'visible', timeout });
  await input.fill(relPath);
  // the first row must be our file (the label is the basename, the description its folder)
  await page.locator(SELECTORS.quickInputFirstRow).first().filter({ hasText: base }).waitFor({ state: 'visible', timeout });
  await page.keyboard.press('Enter');
  await quickInputClosed(page, timeout);
  await page.locator('.editor-group-container.active .tab.active', { hasText: base }).waitFor({ state: 'visible', timeout });
  await focusEditor(page, { timeout });
}

/**
 * Gives keyboard focus to the active text editor without moving its cursor if
 * it can (the palette's Focus Active Editor Group); clicks into it otherwise.
 */
export async function focusEditor(page: Page, { timeout = 10_000 } = {}): Promise<void> {
  const editor = activeEditor(page);
  await editor.waitFor({ state: 'visible', timeout });
  if (!(await isFocused(editor))) {
    await page.keyboard.press('Escape'); // close any widget that holds focus
    await runCommand(page, 'View: Focus Active Editor Group', { timeout });
  }
  if (!(await isFocused(editor))) {
    await editor.locator('.view-lines').click(); // moves the cursor: callers then press Ctrl+End etc.
  }
  await page.waitForFunction(
    () => !!document.querySelector('.editor-group-container.active .editor-instance .monaco-editor.focused'),
    null, { timeout },
  );
  await sleep(SETTLE.focus);
}

async function isFocused(editor: Locator): Promise<boolean> {
  return editor.evaluate((el) => el.classList.contains('focused')).catch(() => false);
}

/** Types `>title` into the Command Palette and waits until the focused row is exactly that command. */
async function paletteFind(page: Page, title: string, timeout: number): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator(SELECTORS.quickInput);
  await input.waitFor({ state: 'visible', timeout });
  await input.fill(`>${title}`);
  await page.waitForFunction(
    ({ sel, want }) => {
      const el = document.querySelector(sel);
      return !!el && (el.textContent ?? '').replace(/\s+/g, ' ').trim() === want;
    },
    { sel: SELECTORS.quickInputFocusedLabel, want: title },
    { timeout },
  ).catch(async (err: Error) => {
    const seen = await page.locator(SELECTORS.quickInputFocusedLabel).allTextContents().catch(() => []);
    throw new Error(`command "${title}" not found in the palette (focused row: ${JSON.stringify(seen)}): ${err.message}`);
  });
}

/** Runs a command from the Command Palette by its exact title (e.g. "AI Provenance: Install Commit Hook"). */
export async function runCommand(page: Page, title: string, { timeout = 20_000 } = {}): Promise<void> {
  await paletteFind(page, title, timeout);
  await page.keyboard.press('Enter');
  await quickInputClosed(page, timeout);
}

/** Runs a palette command that opens another quick pick (so it does not wait for the palette to close). */
export async function runCommandOpeningPicker(page: Page, title: string, { timeout = 20_000 } = {}): Promise<void> {
  await paletteFind(page, title, timeout);
  await page.keyboard.press('Enter');
}

/**
 * Go to Line (Ctrl+G) to 1-based `line` (and `column`); waits until the box has
 * closed, so that the next keys reach the editor.
 */
export async function goToLine(page: Page, line: number, column?: number): Promise<void> {
  await page.keyboard.press('Control+G');
  await page.locator(SELECTORS.quickInput).waitFor({ state: 'visible' });
  await page.keyboard.type(column === undefined ? String(line) : `${line}:${column}`);
  await page.keyboard.press('Enter');
  await quickInputClosed(page);
}

/** The lightbulb, in the content area or in the glyph margin (VS Code puts it where the lines leave room). */
const LIGHTBULB = '.lightBulbWidget, .glyph-margin-widgets .cgmr[class*="codicon-gutter-lightbulb"]';

/**
 * Picks `action` from the lightbulb's menu with the mouse, as a person does:
 * waits for the error's squiggle first (until the language server reports the
 * error, the lightbulb offers only refactorings), puts the cursor on the error
 * (`placeCursor`), clicks the lightbulb once it stands still, and looks again
 * (Escape, cursor back on the error) while the menu lacks `action`.
 */
export async function pickFromLightbulb(page: Page, action: string, placeCursor: () => Promise<void>, { timeout = 120_000, log }: { timeout?: number; log?: (s: string) => void } = {}): Promise<void> {
  await activeEditor(page).locator('.squiggly-error').first().waitFor({ state: 'visible', timeout });
  const rows = page.locator('.action-widget .monaco-list-row');
  const item = rows.filter({ hasText: action }).first();
  const end = Date.now() + timeout;
  for (let look = 1; ; look++) {
    await placeCursor();
    if (await clickLightbulb(page)) {
      if (await item.waitFor({ state: 'visible', timeout: 5_000 }).then(() => true, () => false)) break;
      log?.(`  look ${look}: the lightbulb offered ${JSON.stringify(await rows.allTextContents())}`);
      await page.keyboard.press('Escape');
    } else log?.(`  look ${look}: no lightbulb standing still`);
    if (Date.now() > end) throw new Error(`no "${action}" in the lightbulb's menu after ${timeout} ms`);
    await sleep(1_000);
  }
  await item.click();
}

/**
 * Clicks the lightbulb once it stands still. It is redrawn as the code actions
 * at the cursor update, and a click where it just was lands in the text and
 * moves the cursor: its place is read again just before the click, which is
 * made only when the lightbulb is the element under the mouse.
 */
async function clickLightbulb(page: Page): Promise<boolean> {
  const where = async (): Promise<{ x: number; y: number } | undefined> => {
    const box = await page.locator(LIGHTBULB).filter({ visible: true }).first().boundingBox({ timeout: 1_000 }).catch(() => null);
    return box && box.width > 0 ? { x: Math.round(box.x + box.width / 2), y: Math.round(box.y + box.height / 2) } : undefined;
  };
  const same = (a?: { x: number; y: number }, b?: { x: number; y: number }): boolean => !!a && !!b && a.x === b.x && a.y === b.y;
  let at: { x: number; y: number } | undefined;
  for (let i = 0, last = await where(); i < 20 && !at; i++) {
    await sleep(500);
    const now = await where();
    if (same(now, last)) at = now;
    last = now;
  }
  if (!at) return false;
  await page.mouse.move(at.x, at.y);
  await sleep(300);
  if (!same(await where(), at)) return false;
  if (!(await page.evaluate(({ x, y, sel }) => !!document.elementFromPoint(x, y)?.closest(sel), { x: at.x, y: at.y, sel: LIGHTBULB }))) return false;
  await page.mouse.down();
  await page.mouse.up();
  return true;
}

/** Puts `text` on the system clipboard from inside the page, and checks it is there. */
export async function setClipboard(page: Page, text: string): Promise<void> {
  await page.evaluate(async (t) => { await navigator.clipboard.writeText(t); }, text);
  const back = await page.evaluate(() => navigator.clipboard.readText());
  if (back !== text) throw new Error(`clipboard holds ${JSON.stringify(back)}, wanted ${JSON.stringify(text)}`);
}

/** Ctrl+S in the active editor; waits until its tab is no longer dirty. */
export async function saveFile(page: Page, { timeout = 15_000 } = {}): Promise<void> {
  await page.keyboard.press('Control+S');
  await page.locator('.editor-group-container.active .tab.active.dirty').waitFor({ state: 'detached', timeout });
}

/** Moves the mouse out of the way and closes any hover. */
export async function dismissHover(page: Page): Promise<void> {
  await page.mouse.move(5, 5);
  await page.keyboard.press('Escape');
}

/** Messages of the notification toasts shown now. */
export async function notificationMessages(page: Page): Promise<string[]> {
  return page.locator(SELECTORS.notificationMessage).allTextContents();
}

/**
 * Commits what is staged from the Source Control view, as a person would:
 * the view focused, a click in its message box, the message typed, Ctrl+Enter.
 * The caller waits for the commit (git runs the hooks meanwhile).
 */
export async function commitFromScm(page: Page, message: string): Promise<void> {
  await runCommand(page, 'Source Control: Focus on Changes View');
  // Wait until the git extension sees the staged file, or it offers to stage everything itself.
  await page.locator('.scm-view').getByText('Staged Changes').first().waitFor({ timeout: 20_000 });
  await page.locator('.scm-view .scm-editor .monaco-editor').first().click();
  await page.keyboard.type(message);
  await page.keyboard.press('Control+Enter');
}

/**
 * The page inside the webview panel whose tab is titled `title` (a webview is
 * an iframe laid over its editor group, its page in a nested iframe), and the
 * editor group that holds the panel (for screenshots). Waits for the tab.
 */
export async function webviewPanel(page: Page, title: string, { timeout = 20_000 } = {}): Promise<{ content: FrameLocator; group: Locator; tab: Locator }> {
  const tab = page.locator('.tabs-container .tab', { hasText: title }).first();
  await tab.waitFor({ state: 'visible', timeout });
  const group = page.locator('.editor-group-container', { has: tab }).first();
  // Only the webview of the active tab of each group is shown: take the visible one that lies over this group.
  const frames = page.locator('iframe.webview.ready');
  const index = await waitFor(`the webview of "${title}"`, async () => {
    const box = await group.boundingBox();
    for (let i = 0; i < (await frames.count()); i++) {
      const b = await frames.nth(i).boundingBox();
      if (b && box && b.width > 0 && b.x >= box.x - 1 && b.x < box.x + box.width) return i + 1;
    }
    return 0;
  }, { timeout }) - 1;
  return { content: frames.nth(index).contentFrame().locator('iframe#active-frame').contentFrame(), group, tab };
}

/** Closes the editor tab `tab` with the mouse (its close button), whatever has focus. */
export async function closeTab(tab: Locator): Promise<void> {
  await tab.hover();
  await tab.locator('.tab-actions .action-label').first().click();
  await tab.waitFor({ state: 'detached', timeout: 10_000 });
}

/** Folds the side bar's panes titled `titles` (a click on each expanded header), so the panes left get the room. */
export async function foldPanes(page: Page, titles: readonly string[]): Promise<void> {
  for (const title of titles) {
    const header = page.locator('.part.sidebar .pane-header', { has: page.locator('.title', { hasText: new RegExp(`^\\s*${title}\\s*$`, 'i') }) }).first();
    if (!(await header.count())) {
      const seen = await page.locator('.part.sidebar .pane-header').allInnerTexts();
      throw new Error(`no pane "${title}" in the side bar: ${JSON.stringify(seen.map((t) => t.replace(/\s+/g, ' ')))}`);
    }
    // On the title: the header's middle may hold the pane's own actions.
    if ((await header.getAttribute('aria-expanded')) !== 'false') await header.locator('.title').first().click();
    await waitFor(`the pane "${title}" folded`, async () => (await header.getAttribute('aria-expanded')) === 'false');
  }
}

/**
 * Resolves once nothing inside `target` changed in the DOM for `quietMs` (a
 * view that refreshes re-renders its rows: a click landing on a row being
 * replaced is lost, as a person's would be). Rejects after `timeout`.
 */
export async function waitForStill(target: Locator, { quietMs = 600, timeout = 15_000 } = {}): Promise<void> {
  await target.evaluate((el, { quietMs, timeout }) => new Promise<void>((resolve, reject) => {
    let timer = setTimeout(done, quietMs);
    const observer = new MutationObserver(() => { clearTimeout(timer); timer = setTimeout(done, quietMs); });
    const giveUp = setTimeout(() => { observer.disconnect(); clearTimeout(timer); reject(new Error(`still changing after ${timeout} ms`)); }, timeout);
    function done(): void { observer.disconnect(); clearTimeout(giveUp); resolve(); }
    observer.observe(el, { subtree: true, childList: true, attributes: true, characterData: true });
  }), { quietMs, timeout });
}
