import { pickFromLightbulb } from '../../../tools/harness/workbench';
import type { Driver } from '../driver';
import type { Scenario } from './scenario';

/** Puts the cursor at the end of the line holding `needle` and presses a line command's key. */
async function onLine(c: Driver, rel: string, needle: string, key: string): Promise<void> {
  await c.cursorAtEndOf(rel, needle);
  await c.press(rel, key);
}

export const lineCommands: Scenario = {
  name: 'line-commands', channel: 'line-commands',
  about: 'move line up/down (Alt+Up/Down), copy line up/down (Ctrl+Shift+Alt+Up/Down), toggle line comment, indent/outdent, over AI and typed lines in JavaScript',
  async run(c) {
    const f = 'lines/moves.js';
    await c.open(f);
    await c.complete(f, 'js_moves');
    await c.cursorAtEndOf(f, '// typed below');
    await c.type(f, '\nconst mine = 1;\nconst yours = 2;');
    // an AI line moved down twice (past a typed line) and up once
    await onLine(c, f, 'const second', 'Alt+ArrowDown');
    await onLine(c, f, 'const second', 'Alt+ArrowDown');
    await onLine(c, f, 'const second', 'Alt+ArrowUp');
    // a typed line copied down, an AI line copied up (Linux keys)
    await onLine(c, f, 'const mine', 'Control+Shift+Alt+ArrowDown');
    await onLine(c, f, 'const third', 'Control+Shift+Alt+ArrowUp');
    // a line comment on an AI line; on and off again on a typed line
    await onLine(c, f, 'const first', 'Control+/');
    await onLine(c, f, 'const yours', 'Control+/');
    await onLine(c, f, 'const yours', 'Control+/');
    // indent and outdent an AI line, indent a typed one
    await onLine(c, f, 'const fourth', 'Control+]');
    await onLine(c, f, 'const fourth', 'Control+[');
    await onLine(c, f, 'const yours', 'Control+]');
    // two lines (AI, then typed) moved up together with a keyboard selection
    const { line } = await c.lineOf(f, 'const fourth');
    await c.select({ line, character: 0, endLine: line + 1, endCharacter: 3 });
    await c.press(f, 'Alt+ArrowUp', 'move two lines up');
  },
};

export const replaceAll: Scenario = {
  name: 'replace-all', channel: 'ide',
  about: 'Find and Replace (Ctrl+H) with Replace All (Ctrl+Alt+Enter) over AI and typed lines in Python',
  async run(c) {
    const f = 'lines/replace.py';
    await c.open(f);
    await c.complete(f, 'py_replace');
    await c.cursorAtEnd(f);
    await c.type(f, '\nvalue_total += 1\nprint("total", value_total)');
    await c.findReplace('value_total', 'amount_total');
    const v = await c.version(f);
    await c.page.keyboard.press('Control+Alt+Enter');
    await c.waitVersionAbove(f, v, 'replace all');
    await c.waitText(f, (t) => !t.includes('value_total'), 'every match replaced');
    await c.page.keyboard.press('Escape');
    await c.quiet(f, 300);
  },
};

export const copyPasteTyped: Scenario = {
  name: 'copy-paste-typed', channel: 'paste',
  about: 'a typed line selected with Shift+Home, copied with Ctrl+C and pasted below with Ctrl+V, in TypeScript, as a person does it',
  async run(c) {
    const f = 'lines/copy.ts';
    await c.open(f);
    await c.cursorAtEnd(f);
    await c.type(f, 'const p = 1;');
    await c.page.keyboard.press('Shift+Home');
    await c.copy(f);
    await c.page.keyboard.press('End');
    await c.press(f, 'Enter');
    await c.pasteInternal(f);
    await c.type(f, '\nconst q = p + 1;');
  },
};

export const quickFixMouse: Scenario = {
  name: 'quickfix-mouse', channel: 'ide',
  about: "a quick fix (Implement interface) picked from the lightbulb with the mouse in TypeScript, after typing",
  async run(c) {
    const f = 'lines/shape.ts';
    await c.open(f);
    await c.cursorAtEndOf(f, 'name: string;');
    await c.type(f, '\n  sides: number;');
    const { line, text } = await c.lineOf(f, 'class Square');
    const v = await c.version(f);
    // once the TypeScript server reports the error; the cursor inside `Square`, where it is
    await pickFromLightbulb(c.page, 'Implement interface', () => c.select({ line, character: text.indexOf('Square') + 2 }));
    await c.waitVersionAbove(f, v, 'the quick fix', 30_000);
    await c.waitText(f, (t) => t.includes('area(): number {'), 'the implemented members', 30_000);
    await c.quiet(f, 300);
  },
};
