import { dragSelection } from '../../../tools/harness/editorView';
import type { Driver } from '../driver';
import type { Scenario } from './scenario';

/**
 * Selects `count` whole lines from the one holding `first` with the keyboard (cursor at its start,
 * Shift+Down), then drags them with the mouse to the start of the line holding `before`.
 */
async function dragLines(c: Driver, rel: string, first: string, count: number, before: string, { copy = false } = {}): Promise<void> {
  const { line } = await c.lineOf(rel, first);
  await c.select({ line, character: 0 });
  for (let k = 0; k < count; k++) await c.page.keyboard.press('Shift+ArrowDown');
  // the keyboard's selection, as the extension host has it (set again only if a key went astray)
  await c.select({ line, character: 0, endLine: line + count, endCharacter: 0 });
  const target = (await c.lineOf(rel, before)).line;
  const moved = (await c.lines(rel)).slice(line, line + count);
  const v = await c.version(rel);
  await dragSelection(c.page, { line: line + 1, column: 6 }, { line: target + 1, column: 1 }, { copy });
  await c.waitVersionAbove(rel, v, copy ? 'the copy by drag and drop' : 'the drop');
  await c.waitText(rel, (t) => t.includes([...moved, before].join('\n')), 'the dropped lines before their target');
  await c.quiet(rel, 300);
}

export const dragMove: Scenario = {
  name: 'drag-move', channel: 'drag-and-drop',
  about: 'selected lines dragged and dropped with the mouse (editor.dragAndDrop, on by default): two typed lines moved up, two AI (completion) lines moved down, a typed line copied with Ctrl held, in JavaScript',
  async run(c) {
    const f = 'drag/moves.js';
    await c.open(f);
    await c.complete(f, 'js_drag');
    await c.cursorAtEndOf(f, '// typed below');
    await c.type(f, '\nlet width = 10;\nlet height = 20;');
    await dragLines(c, f, 'let width', 2, '// Drag.');
    await dragLines(c, f, 'const first', 2, '// drop here');
    await dragLines(c, f, 'let height', 1, '// typed below', { copy: true });
  },
};
