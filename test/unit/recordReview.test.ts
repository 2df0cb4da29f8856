import { strict as assert } from 'node:assert';
import { NOTES_REF } from '../../src/core/record';
import { readRecords, writeRecords } from '../../src/node/record/notes';
import { gitIdentity, recordReview, reviewCommittedLines, ReviewNotRecorded } from '../../src/node/record/review';
import { CLI_PATH, run, TempRepo, useGitTestEnv } from './helpers/gitRepo';

const RECORD = ['ai-provenance v1', 'src/a.ts 1-2 ai origin=ai-completion conf=certain tool=copilot', 'src/a.ts 3 human', 'src/a.ts 4 mixed origin=ai-paste conf=likely', 'src/b.ts 1 ai origin=ai-chat conf=certain', ''].join('\n');

describe('recordReview: a sign-off written into the commit record', () => {
  useGitTestEnv();
  let repo: TempRepo;
  let sha: string;

  beforeEach(async () => {
    repo = await TempRepo.create();
    await repo.write('src/a.ts', 'one\ntwo\nthree\nfour\n');
    await repo.write('src/b.ts', 'agent\n');
    repo.ok(['add', '.']);
    repo.ok(['commit', '-q', '-m', 'lines']);
    sha = repo.ok(['rev-parse', 'HEAD']).trim();
    await writeRecords(new Map([[sha, RECORD]]), { cwd: repo.dir });
  });
  afterEach(() => repo.dispose());

  it('adds review= to the AI and mixed lines asked for, and to nothing else', async () => {
    const review = { by: 'Rita Reviewer <rita@example.com>', at: 1_750_000_000_000 };
    const n = await recordReview([{ sha, path: 'src/a.ts', lines: [1, 2, 3, 4] }], review, { cwd: repo.dir });
    assert.equal(n, 3);
    const note = repo.ok(['notes', `--ref=${NOTES_REF}`, 'show', sha]);
    assert.equal(
      note,
      [
        'ai-provenance v1',
        'src/a.ts 1-2 ai origin=ai-completion conf=certain tool=copilot review=Rita%20Reviewer%20<rita@example.com>@1750000000000',
        'src/a.ts 3 human',
        'src/a.ts 4 mixed origin=ai-paste conf=likely review=Rita%20Reviewer%20<rita@example.com>@1750000000000',
        'src/b.ts 1 ai origin=ai-chat conf=certain',
        '',
      ].join('\n'),
    );
    const parsed = (await readRecords([sha], { cwd: repo.dir })).get(sha);
    assert.deepEqual(parsed?.problems, []);
    assert.deepEqual(parsed?.record.files[0].lines.get(4)?.review, review);
  });

  it('leaves a record of another version alone and says so, writing nothing', async () => {
    await writeRecords(new Map([[sha, 'ai-provenance v2\nsomething new\n']]), { cwd: repo.dir });
    const before = repo.ok(['rev-parse', NOTES_REF]);
    await assert.rejects(recordReview([{ sha, path: 'src/a.ts', lines: [1] }], { by: 'R', at: 1 }, { cwd: repo.dir }), ReviewNotRecorded);
    assert.equal(repo.ok(['rev-parse', NOTES_REF]), before);
  });

  it('refuses a commit with no record', async () => {
    await repo.write('c.txt', 'x\n');
    repo.ok(['add', '.']);
    repo.ok(['commit', '-q', '-m', 'no record']);
    const other = repo.ok(['rev-parse', 'HEAD']).trim();
    await assert.rejects(recordReview([{ sha: other, path: 'c.txt', lines: [1] }], { by: 'R', at: 1 }, { cwd: repo.dir }), /has no provenance record/);
  });

  it('shows in `report` who reviewed what, and whether it was someone other than the author', async () => {
    const plain = run('node', [CLI_PATH, 'report', 'HEAD'], repo.dir);
    assert.ok(!plain.stdout.includes('Reviews'), plain.stdout);
    await recordReview([{ sha, path: 'src/a.ts', lines: [1, 2] }], { by: 'Rita Reviewer <rita@example.com>', at: 1 }, { cwd: repo.dir });
    await recordReview([{ sha, path: 'src/b.ts', lines: [1] }], { by: 'Test Author <AUTHOR@example.com>', at: 2 }, { cwd: repo.dir });
    const out = run('node', [CLI_PATH, 'report', 'HEAD'], repo.dir).stdout;
    const short = sha.slice(0, 7);
    assert.ok(out.includes(`\nReviews (from the records):\n  ${short}`), out);
    assert.ok(out.includes('2 of 4 AI lines reviewed by Rita Reviewer <rita@example.com>, reviewed by someone other than the author\n'), out);
    assert.ok(out.includes('1 of 4 AI lines reviewed by Test Author <AUTHOR@example.com>, reviewed by the author\n'), out);
    const json = JSON.parse(run('node', [CLI_PATH, 'report', 'HEAD', '--json'], repo.dir).stdout) as { reviews: Array<{ author: string; reviewers: unknown[] }> };
    assert.equal(json.reviews[0].author, 'Test Author <author@example.com>');
    assert.equal(json.reviews[0].reviewers.length, 2);
  });

  it('finds through blame the commit and line a reviewed line came from, after later commits moved it', async () => {
    // A later commit puts two human lines above: line 4 of a.ts at HEAD is line 2 of the first commit.
    await repo.write('src/a.ts', 'new1\nnew2\none\ntwo\nthree\nfour\n');
    repo.ok(['commit', '-qam', 'two lines above']);
    const n = await reviewCommittedLines(repo.dir, 'src/a.ts', 4, 6, { by: 'Rita', at: 7 });
    // Line 2 (ai) and line 4 (mixed) of the first commit; line 3 is human.
    assert.equal(n, 2);
    const lines = (await readRecords([sha], { cwd: repo.dir })).get(sha)?.record.files[0].lines;
    assert.deepEqual([1, 2, 3, 4].map((l) => lines?.get(l)?.review?.by), [undefined, 'Rita', undefined, 'Rita']);
    assert.equal(await reviewCommittedLines(repo.dir, 'src/a.ts', 1, 2, { by: 'Rita', at: 7 }), 0);
  });

  it("names the reviewer by git's identity", async () => {
    repo.ok(['config', 'user.name', 'Rita Reviewer']);
    repo.ok(['config', 'user.email', 'rita@example.com']);
    assert.equal(await gitIdentity(repo.dir), 'Rita Reviewer <rita@example.com>');
  });
});
