import type { Scenario } from './scenario';

export const ideSuggestSnippet: Scenario = {
  name: 'ide-suggest-snippet', channel: 'ide',
  about: 'IntelliSense accepts (Ctrl+Space, Tab) and a snippet (Insert Snippet) in TypeScript, with typing',
  async run(c) {
    const f = 'ide/suggest.ts';
    await c.open(f);
    await c.select({ line: (await c.lines(f)).length - 1, character: 0 });
    await c.type(f, 'export const x = computeGr');
    await c.suggestAccept(f, 'computeGrandTotal');
    await c.type(f, '(1, 2);\nexport const y = computeGr');
    await c.suggestAccept(f, 'computeGrandTotal');
    await c.type(f, '(x, 3);\n');
    await c.insertSnippet(f, 'trycatch');
  },
};

export const ideFormat: Scenario = {
  name: 'ide-format', channel: 'ide',
  about: 'Format Document on JavaScript (TypeScript formatter) and JSON with Comments, over AI and typed lines',
  async run(c) {
    const js = 'ide/format.js';
    await c.open(js);
    await c.complete(js, 'js_format');
    await c.type(js, '\nconst  mine={x:1,y:2};\nfunction   humanHelper( y ){return y+1}\nlet   typedList=[4,5].map(( w )=>w+1);');
    await c.formatDocument(js);
    const j = 'ide/settings.jsonc';
    await c.open(j);
    await c.complete(j, 'jsonc_ai');
    await c.cursorAtEndOf(j, '"version":1');
    await c.type(j, ',"typed":{"by":"me","n":2}');
    await c.formatDocument(j);
  },
};

export const ideRenameOrganize: Scenario = {
  name: 'ide-rename-organize', channel: 'ide',
  about: 'Rename Symbol (F2) across AI and typed lines in TypeScript, then Organize Imports',
  async run(c) {
    const f = 'ide/rename.ts';
    await c.open(f);
    await c.complete(f, 'ts_total');
    await c.cursorAtEndOf(f, 'return total;');
    await c.type(f, '\n// my check: total must be positive\nif (total < 0) throw new Error("negative");');
    await c.renameSymbol(f, { needle: 'const total', word: 'total' }, 'grandTotal', (t) => t.includes('const grandTotal = prices.reduce') && t.includes('if (grandTotal < 0)'));
    // Organize Imports (Shift+Alt+O): sorts the two imports
    const v2 = await c.version(f);
    await c.page.keyboard.press('Shift+Alt+O');
    await c.waitVersionAbove(f, v2, 'organize imports', 60_000);
    await c.waitText(f, (t) => t.startsWith('import { a }'), 'sorted imports', 30_000);
    await c.quiet(f, 300);
  },
};
