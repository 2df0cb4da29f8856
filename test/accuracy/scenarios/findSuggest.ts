import { sleep } from '../../../tools/harness/wait';
import type { Driver } from '../driver';
import type { Scenario } from './scenario';

/** How long a person reads the suggest list before committing or reaching for the mouse (over the 500 ms a keystroke explains). */
const READ_MS = 1000;

/**
 * Find and Replace (Ctrl+H), then Enter in the replace box. The first Enter may only select the match
 * (VS Code replaces a match only once it is the selection): up to three presses, each waiting for it.
 */
async function replaceByEnter(c: Driver, rel: string, find: string, replacement: string): Promise<void> {
  await c.findReplace(find, replacement);
  for (let attempt = 0; ; attempt++) {
    await c.page.keyboard.press('Enter');
    try {
      await c.waitText(rel, (t) => t.includes(replacement), 'the match replaced', 3_000);
      break;
    } catch (e) {
      if (attempt >= 2) throw e;
    }
  }
  await c.page.keyboard.press('Escape');
  await c.quiet(rel, 300);
}

export const findSuggest: Scenario = {
  name: 'find-suggest', channel: 'ide',
  about: 'Replace (Enter in the find widget\'s replace box) over a typed Python line; in TypeScript, IntelliSense accepted by `;` after a 1 s pause and an item clicked with the mouse, then Rename Symbol (F2)',
  async run(c) {
    const py = 'find/swap.py';
    await c.open(py);
    await c.cursorAtEnd(py);
    await c.type(py, 'q = 1\nr = 1');
    await replaceByEnter(c, py, 'q = 1', 'q = 5');

    const ts = 'find/names.ts';
    await c.open(ts);
    await c.cursorAtEnd(ts);
    // the end of the file as a person gets there (an editor just opened may still move its cursor)
    await c.page.keyboard.press('Control+End');
    await c.type(ts, 'const tally = 1;\nconst quantity = 2;\nconst total = tal');
    // Quick suggestions show the list; the person reads it, then types `;` (a commit character).
    await c.suggestion('tally', { ask: false });
    await sleep(READ_MS);
    await c.press(ts, ';', 'the suggestion accepted by ;');
    await c.waitText(ts, (t) => t.includes('const total = tally;'), 'tally accepted');
    await c.type(ts, '\nconst more = qua');
    const row = await c.suggestion('quantity', { focused: false, ask: false });
    await sleep(READ_MS);
    const v = await c.version(ts);
    await row.click();
    await c.waitVersionAbove(ts, v, 'the clicked suggestion');
    await c.waitText(ts, (t) => t.includes('const more = quantity'), 'quantity accepted');
    await c.type(ts, ' + 1;');
    await c.renameSymbol(ts, { needle: 'const tally', word: 'tally' }, 'tally2', (t) => t.split('tally2').length === 3);
  },
};
