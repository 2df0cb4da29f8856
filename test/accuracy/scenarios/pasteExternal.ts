import { EXTERNAL_PASTES } from '../corpus';
import type { Scenario } from './scenario';

export const pasteExternal: Scenario = {
  name: 'paste-external', channel: 'ai-paste',
  about: 'pastes from the system clipboard (outside the editor) into Python and Markdown, with typing around them',
  async run(c) {
    const py = 'paste-external/config.py';
    await c.open(py);
    await c.cursorAtEndOf(py, 'DEBUG = False');
    await c.type(py, '\nLEVEL = 3\n');
    await c.pasteExternal(py, EXTERNAL_PASTES.py);
    await c.type(py, '\nTIMEOUT = 30');
    const md = 'paste-external/guide.md';
    await c.open(md);
    await c.cursorAtEndOf(md, 'Intro.');
    await c.type(md, '\n\nMy words first.\n');
    await c.pasteExternal(md, EXTERNAL_PASTES.md);
    await c.type(md, '\n');
    await c.pasteExternal(md, 'A one-line paste from a chat answer.');
    const go = 'paste-external/main.go';
    await c.open(go);
    await c.cursorAtEndOf(go, 'func main() {');
    await c.type(go, '\n');
    await c.pasteExternal(go, EXTERNAL_PASTES.go);
  },
};
