import type { Driver } from '../driver';
import type { Scenario } from './scenario';

const GO = 'typed/calc.go';
const MD = 'typed/notes.md';

/** Leaves an auto-closed block: the closing brace is on the next line, the cursor goes below it. */
async function belowBlock(c: Driver): Promise<void> {
  await c.select({ line: (await c.lines(GO)).length - 1, character: 0 });
}

export const typed: Scenario = {
  name: 'typed', channel: 'typed',
  about: 'typing in Go with auto-closing pairs and auto-indent, multi-cursor typing, Markdown prose, an IME-style insert',
  async run(c) {
    await c.open(GO);
    await c.cursorAtEndOf(GO, 'Typed by hand below.');
    await c.type(GO, '\n\nfunc add(a, b int) int {\nreturn a + b');
    await belowBlock(c);
    await c.type(GO, '\n\nfunc label(name string) string {\nreturn "hello, " + name');
    await belowBlock(c);
    await c.type(GO, '\n\nvar table = map[string]int{"one": 1, "two": 2}\nvar one = 1\nvar two = 2\nvar three = 3\n');
    // multi-cursor: a cursor at the end of each of the three var lines
    const lines = await c.lines(GO);
    const sels = ['var one', 'var two', 'var three'].map((p) => { const i = lines.findIndex((l) => l.startsWith(p)); return { line: i, character: lines[i].length }; });
    await c.select({ selections: sels });
    await c.type(GO, ' // counted by hand');
    await c.page.keyboard.press('Escape'); // leaves multi-cursor mode (no edit)
    await c.open(MD);
    await c.cursorAtEndOf(MD, 'Typed by hand.');
    const prose: string[] = [];
    for (let i = 1; i <= 30; i++) prose.push(`Line ${i} of my own notes, written at the keyboard.`);
    await c.type(MD, `\n\n${prose.join('\n')}\n`);
    const v = await c.version(MD);
    await c.page.keyboard.insertText('Composed text: déjà vu, naïve café.');
    await c.waitVersionAbove(MD, v, 'IME-style insert');
    await c.quiet(MD);
  },
};
