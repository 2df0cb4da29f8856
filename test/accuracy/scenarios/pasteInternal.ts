import type { Driver } from '../driver';
import type { Scenario } from './scenario';

const SRC = 'paste-internal/source.ts';
const DST = 'paste-internal/target.ts';

/** Selects the completion's 16-line AI block in the source. */
async function selectAiBlock(c: Driver): Promise<void> {
  const a = (await c.lines(SRC)).findIndex((l) => l.includes('movedByAssistant'));
  await c.select({ line: a, character: 0, endLine: a + 16, endCharacter: 0 });
}

export const pasteInternal: Scenario = {
  name: 'paste-internal', channel: 'paste',
  about: 'copy AI text and human text inside the editor and paste it into another TS file; cut AI text and paste it lower',
  async run(c) {
    await c.open(SRC);
    await c.complete(SRC, 'ts_move');
    await c.cursorAtEndOf(SRC, '// human part');
    await c.type(SRC, '\nconst mine = 1;\nconst yours = mine + 1;\nconst ours = mine + yours;');
    // copy the AI block
    await selectAiBlock(c);
    await c.copy(SRC);
    await c.open(DST);
    await c.select({ line: 1, character: 0 });
    await c.pasteInternal(DST, 'return acc;');
    // copy the human lines
    await c.open(SRC);
    let t = await c.lines(SRC);
    let a = t.findIndex((l) => l.includes('const mine'));
    await c.select({ line: a, character: 0, endLine: a + 2, endCharacter: t[a + 2].length });
    await c.copy(SRC);
    await c.open(DST);
    await c.select({ line: (await c.lines(DST)).length - 1, character: 0 });
    await c.type(DST, '\n');
    await c.pasteInternal(DST, 'const ours');
    // copy a part of an AI line and paste it mid-line
    await c.open(SRC);
    t = await c.lines(SRC);
    a = t.findIndex((l) => l.includes('acc += (input[3]'));
    await c.select({ line: a, character: 2, endLine: a, endCharacter: t[a].length });
    await c.copy(SRC);
    await c.open(DST);
    await c.cursorAtEnd(DST);
    await c.type(DST, '\nfunction again(input: number[]) { let acc = 0; ');
    await c.pasteInternal(DST, 'acc += (input[3]');
    await c.type(DST, ' return acc; }');
    // cut the AI block in source and paste it at the end
    await c.open(SRC);
    await selectAiBlock(c);
    await c.copy(SRC, 'Control+X');
    await c.cursorAtEnd(SRC);
    await c.type(SRC, '\n');
    await c.pasteInternal(SRC, 'return acc;');
  },
};
