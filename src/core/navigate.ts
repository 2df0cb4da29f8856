import type { LineInfo } from './lines';

/**
 * The first line of the next (or previous) block of AI or mixed lines from
 * line `current`, wrapping around; undefined when there is none.
 */
export function nextAiBlock(infos: readonly LineInfo[], current: number, direction: 1 | -1): number | undefined {
  const starts: number[] = [];
  let prev = -2;
  for (const i of infos) {
    if (i.cls !== 'ai' && i.cls !== 'mixed') continue;
    if (i.line !== prev + 1) starts.push(i.line);
    prev = i.line;
  }
  if (starts.length === 0) return undefined;
  if (direction === 1) return starts.find((l) => l > current) ?? starts[0];
  return [...starts].reverse().find((l) => l < current) ?? starts[starts.length - 1];
}
