import { EXTERNAL_PASTES, jsBlock } from '../corpus';
import type { Scenario } from './scenario';

export const undoRedo: Scenario = {
  name: 'undo-redo', channel: 'undo-redo',
  about: 'typing, a completion, a chat edit and an outside paste in JS, undone and redone in several steps',
  async run(c) {
    const f = 'undo/undo.js';
    await c.open(f);
    await c.complete(f, 'js_undo');
    await c.type(f, '\n// typed after the completion\nconst typedValue = 42;');
    await c.agentEdit(f, [{ line: 0, character: 0, text: '// chat added this header\n// and this second line\n' }]);
    await c.select({ line: (await c.lines(f)).length - 1, character: 22 });
    await c.type(f, '\n');
    await c.pasteExternal(f, EXTERNAL_PASTES.js);
    // undo the paste, the Enter, the chat edit; redo the chat edit
    for (const [key, what] of [['Control+Z', 'undo 1'], ['Control+Z', 'undo 2'], ['Control+Z', 'undo 3'], ['Control+Shift+Z', 'redo 1']]) await c.press(f, key, what);
    // undo the typed lines too, redo them, type on
    for (const [key, what] of [['Control+Z', 'undo 4'], ['Control+Z', 'undo 5'], ['Control+Shift+Z', 'redo 2']]) await c.press(f, key, what);
    await c.cursorAtEnd(f);
    await c.type(f, '\nconst afterUndo = true;');
    // a chat edit after the redo, then undone and redone once more
    await c.agentEdit(f, [{ line: 2, character: 0, text: `${jsBlock('chatAfterUndo', 15)}\n` }]);
    await c.press(f, 'Control+Z', 'undo 6');
    await c.press(f, 'Control+Shift+Z', 'redo 3');
  },
};
