import type { ChangeSnapshot, ContentChange } from '../../../src/core/changeFacts';

/** A change snapshot over a real text (after the event): lines are counted in it, and how often the text and lines were asked is recorded. */
export function snapshot(text: string, changes: readonly ContentChange[], extra: Partial<ChangeSnapshot> = {}): ChangeSnapshot & { asked: { text: number; lines: number } } {
  const asked = { text: 0, lines: 0 };
  return {
    changes,
    saving: false,
    chatSession: false,
    visible: true,
    cursors: [],
    now: 10_000,
    lineOf: (offset) => {
      asked.lines++;
      return text.slice(0, offset).split('\n').length - 1;
    },
    text: () => {
      asked.text++;
      return text;
    },
    ...extra,
    asked,
  };
}
