import type { Driver } from '../driver';
import type { Scenario } from './scenario';

const SRC = 'lines-more/source.js';
const DST = 'lines-more/target.js';
const SORT = 'lines-more/sort.js';
const JOIN = 'lines-more/join.js';

/** Ctrl+C (or Ctrl+X) with nothing selected on the line holding `needle`: VS Code copies the whole line. */
async function copyWholeLine(c: Driver, needle: string, key = 'Control+C'): Promise<void> {
  await c.open(SRC);
  await c.cursorAtEndOf(SRC, needle);
  await c.copy(SRC, key);
}

export const lineCommandsMore: Scenario = {
  name: 'line-commands-more', channel: 'line-commands',
  about: 'whole-line copy and cut (Ctrl+C/Ctrl+X, nothing selected, one and two cursors) of AI and typed lines pasted into another file; Sort Lines Ascending and Join Lines from the Command Palette over AI and typed lines, in JavaScript',
  async run(c) {
    await c.open(SRC);
    await c.complete(SRC, 'js_whole');
    // Ctrl+C on an AI line; Ctrl+V with nothing selected pastes it above the cursor's line
    await copyWholeLine(c, 'const copiedWhole');
    await c.open(DST);
    await c.cursorAtEndOf(DST, 'const here');
    await c.pasteInternal(DST, 'const copiedWhole');
    // Ctrl+X on an AI line, pasted at the end of the other file
    await copyWholeLine(c, 'const cutWhole', 'Control+X');
    await c.open(DST);
    await c.cursorAtEnd(DST);
    await c.pasteInternal(DST, 'const cutWhole');
    // two cursors (an AI line and a typed one below it, Shift+Alt+Down on Linux), Ctrl+C, one paste
    await c.open(SRC);
    await c.cursorAtEndOf(SRC, 'const keptHere');
    await c.type(SRC, '\nconst typedWhole = 1;');
    await c.cursorAtEndOf(SRC, 'const keptHere');
    await c.page.keyboard.press('Shift+Alt+ArrowDown');
    await c.copy(SRC);
    await c.open(DST);
    await c.cursorAtEnd(DST);
    await c.pasteInternal(DST, 'const typedWhole');
    // Sort Lines Ascending from the palette over two AI lines and two typed ones
    await c.open(SORT);
    await c.complete(SORT, 'js_sort');
    await c.cursorAtEndOf(SORT, 'const apple');
    await c.type(SORT, '\nlet yours = 2;\nlet mine = 1;');
    const zebra = await c.lineOf(SORT, 'const zebra');
    const mine = await c.lineOf(SORT, 'let mine');
    await c.select({ line: zebra.line, character: 0, endLine: mine.line, endCharacter: mine.text.length });
    await c.command('Sort Lines Ascending', SORT);
    // Join Lines from the palette on an AI line (joins it with the next, AI too)
    await c.open(JOIN);
    await c.complete(JOIN, 'js_join');
    await c.cursorAtEndOf(JOIN, 'const joinedLeft');
    await c.command('Join Lines', JOIN);
  },
};
