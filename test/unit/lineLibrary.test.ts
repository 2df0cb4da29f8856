import { strict as assert } from 'node:assert';
import { promises as fs } from 'node:fs';
import { blameFile, rangeLines } from '../../src/node/report/lines';
import type { FileBlame, RangeLines } from '../../src/node/report/lines';
import { toolLabel } from '../../src/core/blame';
import { UsageError } from '../../src/node/errors';
import { useTempRepo } from './helpers/gitRepo';
import type { TempRepo } from './helpers/gitRepo';
import { AI, ANN, CHAT_TOOL, commitAll, history, L, TOPIC, TYPED, writePieces } from './helpers/lineHistory';

/** A blame as `line class origin tool reviewer commit` rows, easy to compare. */
function rows(b: FileBlame, names: Record<string, string>): string[] {
  return b.lines.map((l) => [l.line, l.class, l.origin ?? '-', l.tool ? `${l.tool}:${l.model ?? ''}` : '-', l.reviewed ? `${l.reviewed.by}@${l.reviewed.at}` : '-', names[l.commit] ?? l.commit].join(' '));
}

const REVIEW = `${ANN.by}@${ANN.at}`;
const TOPIC_ROWS = (b: string, t: string): string[] => [
  `1 unknown - - - ${b}`,
  `2 unknown - - - ${b}`,
  `3 unknown - - - ${b}`,
  `4 ai ai-completion - - ${t}`,
  `5 ai ai-completion - - ${t}`,
  `6 human - - - ${t}`,
  `7 mixed ai-completion - - ${t}`,
  `8 unknown - - - ${t}`,
  `9 ai ai-chat ${CHAT_TOOL} ${REVIEW} ${t}`,
  `10 ai ai-chat ${CHAT_TOOL} ${REVIEW} ${t}`,
];

/** The ranges of a range's lines as `path start-end class origin tool reviewer` rows. */
function rangeRows(r: RangeLines): string[] {
  return r.files.flatMap((f) => f.ranges.map((x) => `${f.path} ${x.start}-${x.end} ${x.class} ${x.origin ?? '-'} ${toolLabel(x) ?? '-'} ${x.reviewed?.by ?? '-'}`));
}

const TOPIC_RANGES = (shift = 0): string[] => [
  `app.ts ${4 + shift}-${5 + shift} ai ai-completion - -`,
  `app.ts ${7 + shift}-${7 + shift} mixed ai-completion - -`,
  `app.ts ${9 + shift}-${10 + shift} ai ai-chat ${CHAT_TOOL} ${ANN.by}`,
];

describe('lines library: blameFile and rangeLines on real repositories', function () {
  this.timeout(120_000);
  let repo!: TempRepo;
  useTempRepo((r) => (repo = r), { cli: true, hooks: true });

  it('blameFile: each line has the class, origin, tool and review of its commit\'s record', async () => {
    const { base, topic } = await history(repo);
    const b = await blameFile(repo.dir, 'app.ts');
    assert.equal(b.rev, topic);
    assert.equal(b.path, 'app.ts');
    assert.deepEqual(rows(b, { [base]: 'B', [topic]: 'T' }), TOPIC_ROWS('B', 'T'));
    assert.deepEqual(b.text.slice(3, 7), ['ai1()', 'ai2()', 'typed()', 'mixed()']);
    assert.equal(b.lines[0].recorded, true);
    assert.equal(b.lines[1].blank, true);
    // At an older revision: the file as it was then.
    const old = await blameFile(repo.dir, 'app.ts', { rev: 'main' });
    assert.deepEqual(rows(old, { [base]: 'B' }), TOPIC_ROWS('B', 'T').slice(0, 3));
  });

  it('a commit with no record: its lines are unknown, and say so', async () => {
    await history(repo);
    await fs.appendFile(`${repo.dir}/app.ts`, 'late()\n');
    repo.ok(['add', '-A']);
    repo.ok(['-c', 'core.hooksPath=/nonexistent', 'commit', '-q', '-m', 'no hooks']);
    const b = await blameFile(repo.dir, 'app.ts');
    const last = b.lines[b.lines.length - 1];
    assert.equal(last.class, 'unknown');
    assert.equal(last.recorded, false);
    assert.equal(b.lines[3].class, 'ai');
  });

  it('blameFile with contents: uncommitted lines are unknown, committed ones keep their record', async () => {
    await history(repo);
    const text = `${TOPIC.map((l) => l.map(([t]) => t).join('')).join('\n')}\nnew()\n`;
    const b = await blameFile(repo.dir, 'app.ts', { contents: text });
    assert.equal(b.rev, undefined);
    assert.equal(b.lines.length, 11);
    assert.equal(b.lines[10].commit, '0'.repeat(40));
    assert.equal(b.lines[10].class, 'unknown');
    assert.equal(b.lines[8].class, 'ai');
  });

  it('rangeLines: the AI lines the range adds, as ranges, with counts', async () => {
    await history(repo);
    const r = await rangeLines(repo.dir, ['main..topic']);
    assert.deepEqual(rangeRows(r), TOPIC_RANGES());
    const c = r.files[0].counts;
    assert.deepEqual([c.lines, c.ai, c.mixed, c.human, c.unknown, c.reviewed], [6, 4, 1, 1, 0, 2]);
    assert.deepEqual([...c.tools], [CHAT_TOOL]);
    assert.deepEqual(c.byOrigin, { 'ai-completion': 3, 'ai-chat': 2 });
    assert.equal(r.tip, repo.ok(['rev-parse', 'topic']).trim());
  });

  it('rangeLines: only lines still there at the tip; a person\'s rewrite of an AI line is theirs', async () => {
    await history(repo);
    const edited = TOPIC.filter((_, i) => i !== 4).map((l, i) => (i === 3 ? L('ai1_fixed()', TYPED) : l));
    await writePieces(repo, 'app.ts', edited);
    await commitAll(repo, 'fix');
    const r = await rangeLines(repo.dir, ['main..topic']);
    assert.deepEqual(rangeRows(r), [`app.ts 6-6 mixed ai-completion - -`, `app.ts 8-9 ai ai-chat ${CHAT_TOOL} ${ANN.by}`]);
    assert.deepEqual([r.files[0].counts.human, r.files[0].counts.ai], [2, 2]);
  });

  it('squash (rebase -i): the squashed commit carries the lines', async () => {
    await history(repo);
    await writePieces(repo, 'two.ts', [L('more1()', AI), L('more2()', TYPED)]);
    await commitAll(repo, 'second');
    repo.ok(['rebase', '-q', '-i', 'main'], { GIT_SEQUENCE_EDITOR: "sed -i -e '2s/^pick/squash/'" });
    const squashed = repo.ok(['rev-parse', 'HEAD']).trim();
    assert.equal(repo.ok(['rev-list', '--count', 'main..HEAD']).trim(), '1');
    const b = await blameFile(repo.dir, 'app.ts');
    const base = repo.ok(['rev-parse', 'main']).trim();
    assert.deepEqual(rows(b, { [base]: 'B', [squashed]: 'S' }), TOPIC_ROWS('B', 'S'));
    const r = await rangeLines(repo.dir, ['main..HEAD']);
    assert.deepEqual(rangeRows(r), [...TOPIC_RANGES(), 'two.ts 1-1 ai ai-completion - -']);
  });

  it('rebase onto a moved main: the lines keep their record, at their new numbers', async () => {
    await history(repo);
    repo.ok(['checkout', '-q', 'main']);
    await repo.write('app.ts', 'header1\nheader2\nimport x\n\nbase()\n');
    const moved = await commitAll(repo, 'main moves');
    repo.ok(['checkout', '-q', 'topic']);
    repo.ok(['rebase', '-q', 'main']);
    const rebased = repo.ok(['rev-parse', 'HEAD']).trim();
    const b = await blameFile(repo.dir, 'app.ts');
    const base = repo.ok(['rev-parse', 'main~1']).trim();
    assert.deepEqual(rows(b, { [base]: 'B', [moved]: 'M', [rebased]: 'R' }), ['1 unknown - - - M', '2 unknown - - - M', ...TOPIC_ROWS('B', 'R').map((r) => r.replace(/^(\d+)/, (n) => String(Number(n) + 2)))]);
    assert.deepEqual(rangeRows(await rangeLines(repo.dir, ['main..HEAD'])), TOPIC_RANGES(2));
  });

  it('cherry-pick: the picked commit\'s lines keep their record', async () => {
    await history(repo);
    repo.ok(['checkout', '-q', 'main']);
    // -x: without it, a pick onto the same parent within the same second is the very same commit.
    repo.ok(['cherry-pick', '-x', 'topic']);
    const picked = repo.ok(['rev-parse', 'HEAD']).trim();
    assert.notEqual(picked, repo.ok(['rev-parse', 'topic']).trim());
    const b = await blameFile(repo.dir, 'app.ts');
    assert.deepEqual(rows(b, { [repo.ok(['rev-parse', 'HEAD~1']).trim()]: 'B', [picked]: 'P' }), TOPIC_ROWS('B', 'P'));
    assert.deepEqual(rangeRows(await rangeLines(repo.dir, ['HEAD~1..HEAD'])), TOPIC_RANGES());
  });

  it('odd paths (spaces, unicode, tab, quote, percent, comma, colon, leading dash) come out right', async () => {
    await history(repo);
    const names = ['dir with space/ü "q".ts', 'tab\there.ts', '100% a,b:c.ts', '-dash.ts'];
    for (const n of names) await writePieces(repo, n, [L('x()', AI), L('y()', TYPED)]);
    await commitAll(repo, 'odd');
    const r = await rangeLines(repo.dir, ['main..HEAD']);
    assert.deepEqual(r.files.map((f) => f.path), [...names, 'app.ts'].sort());
    for (const n of names) {
      assert.deepEqual(rangeRows({ tip: r.tip, files: r.files.filter((f) => f.path === n) }), [`${n} 1-1 ai ai-completion - -`]);
      const b = await blameFile(repo.dir, n);
      assert.deepEqual(b.lines.map((l) => l.class), ['ai', 'human']);
    }
  });

  it('a range whose first commit is a root commit counts its lines; the whole history works as a range', async () => {
    await history(repo);
    const r = await rangeLines(repo.dir, ['topic']);
    assert.deepEqual(rangeRows(r), TOPIC_RANGES());
    assert.equal(r.files[0].counts.unknown, 2);
  });

  it('bad input is a UsageError: no such file, no such revision, two tips', async () => {
    await history(repo);
    await assert.rejects(blameFile(repo.dir, 'nope.ts'), UsageError);
    await assert.rejects(blameFile(repo.dir, 'app.ts', { rev: 'no-such-rev' }), UsageError);
    await assert.rejects(rangeLines(repo.dir, ['main...topic']), /one tip/);
    await assert.rejects(rangeLines(repo.dir, ['nope..topic']), UsageError);
  });
});
