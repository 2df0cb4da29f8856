import { strict as assert } from 'node:assert';
import { parseBlamePorcelain, provenanceOf, toolLabel, unquoteGitPath } from '../../src/core/blame';
import type { LineProvenance } from '../../src/core/blame';
import { aiRanges, countLines } from '../../src/core/lineRanges';
import { parseRecord } from '../../src/core/record';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);

/** Porcelain as git 2.39 prints it: details once per commit, `filename` again for a commit seen under two paths. */
const PORCELAIN = [
  `${A} 1 1 2`,
  'author X',
  'summary one',
  'boundary',
  'filename old name.ts',
  '\tfirst',
  `${A} 2 2`,
  '\t',
  `${B} 5 3 1`,
  'author Y',
  'summary two',
  'previous ' + A + ' "old name.ts"',
  'filename "d\\303\\274r/t\\tab \\"q\\".ts"',
  '\tthird\twith tab',
  `${A} 7 4 1`,
  'filename other.ts',
  '\tfourth',
  '',
].join('\n');

describe('blame core: porcelain, paths, joining with records, ranges', () => {
  it('unquotes C-quoted paths (octal UTF-8 bytes, escapes) and leaves plain ones', () => {
    assert.equal(unquoteGitPath('"d\\303\\274r/t\\tab \\"q\\".ts"'), 'dür/t\tab "q".ts');
    assert.equal(unquoteGitPath('plain name.ts'), 'plain name.ts');
    assert.equal(unquoteGitPath('"a\\\\b\\nc"'), 'a\\b\nc');
  });

  it('parses porcelain: line numbers, boundary, the path per group, text with tabs', () => {
    const lines = parseBlamePorcelain(PORCELAIN);
    assert.deepEqual(
      lines.map((l) => [l.line, l.commit[0], l.origLine, l.path, l.boundary, l.text]),
      [
        [1, 'a', 1, 'old name.ts', true, 'first'],
        [2, 'a', 2, 'old name.ts', true, ''],
        [3, 'b', 5, 'dür/t\tab "q".ts', false, 'third\twith tab'],
        [4, 'a', 7, 'other.ts', true, 'fourth'],
      ],
    );
  });

  it('joins with records by the commit\'s own path and line; no record, or silence, is unknown', () => {
    const lines = parseBlamePorcelain(PORCELAIN);
    const recB = parseRecord('ai-provenance v1\ndür/t%09ab%20"q".ts 5 ai origin=ai-chat conf=certain tool=claude-code model=opus review=Ann@5\n').record;
    const recA = parseRecord('ai-provenance v1\nold%20name.ts 1 human\n').record;
    const p = provenanceOf(lines, new Map([[A, recA], [B, recB]]));
    assert.deepEqual(p.map((x) => [x.class, x.origin, x.tool, x.model, x.reviewed?.by, x.recorded, x.blank]), [
      ['human', undefined, undefined, undefined, undefined, true, false],
      ['unknown', undefined, undefined, undefined, undefined, true, true],
      ['ai', 'ai-chat', 'claude-code', 'opus', 'Ann', true, false],
      ['unknown', undefined, undefined, undefined, undefined, true, false],
    ]);
    assert.deepEqual(provenanceOf(lines, new Map()).map((x) => [x.class, x.recorded]), lines.map(() => ['unknown', false]));
  });

  it('a tool or model outside the grammar names nothing (a note is untrusted)', () => {
    const lines = parseBlamePorcelain(`${B} 1 1 1\nfilename f\n\tx\n`);
    const rec = parseRecord('ai-provenance v1\nf 1 ai origin=ai-chat tool=%3A%3Awarning%3A%3Ax\n').record;
    const [p] = provenanceOf(lines, new Map([[B, rec]]));
    assert.equal(p.class, 'ai');
    assert.equal(p.tool, undefined);
  });

  const P = (line: number, cls: LineProvenance['class'], extra: Partial<LineProvenance> = {}): LineProvenance => ({ line, commit: A, class: cls, recorded: true, blank: false, ...extra });

  it('ranges: runs of one kind; a blank added line inside a run joins it, anything else ends it', () => {
    const added = [
      P(1, 'ai', { origin: 'ai-completion' }),
      P(2, 'ai', { origin: 'ai-completion' }),
      P(3, 'unknown', { blank: true }),
      P(4, 'ai', { origin: 'ai-completion', commit: B }),
      P(5, 'ai', { origin: 'ai-chat', tool: 'claude-code', model: 'opus' }),
      P(6, 'human'),
      P(7, 'mixed', { origin: 'ai-paste' }),
      P(9, 'mixed', { origin: 'ai-paste' }),
      P(10, 'ai', { origin: 'ai-paste', reviewed: { by: 'Ann', at: 1 } }),
      P(11, 'ai', { origin: 'ai-paste', reviewed: { by: 'Ann', at: 1 } }),
      P(12, 'unknown', { blank: true }),
    ];
    assert.deepEqual(
      aiRanges(added).map((r) => [r.start, r.end, r.class, r.origin, toolLabel(r), r.reviewed?.by, r.commits.length]),
      [
        [1, 4, 'ai', 'ai-completion', undefined, undefined, 2],
        [5, 5, 'ai', 'ai-chat', 'claude-code:opus', undefined, 1],
        [7, 7, 'mixed', 'ai-paste', undefined, undefined, 1],
        [9, 9, 'mixed', 'ai-paste', undefined, undefined, 1],
        [10, 11, 'ai', 'ai-paste', undefined, 'Ann', 1],
      ],
    );
    const c = countLines(added);
    assert.deepEqual([c.lines, c.ai, c.mixed, c.human, c.unknown, c.reviewed], [9, 6, 2, 1, 0, 2]);
    assert.deepEqual([...c.tools], ['claude-code:opus']);
  });
});
