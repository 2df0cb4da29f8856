import { strict as assert } from 'node:assert';
import { assertUsageError, cli, useTempRepo } from './helpers/gitRepo';
import type { TempRepo } from './helpers/gitRepo';
import { AI, ANN, CHAT, CHAT_TOOL, commitAll, history, L, TOPIC, TYPED, writePieces } from './helpers/lineHistory';
import { escapeData, escapeProperty, mdText } from '../../src/node/report/lineFormats';

const DAY = new Date(ANN.at).toISOString().slice(0, 10);
const CHAT_TITLE = `AI-written (ai-chat%2C ${CHAT_TOOL.replace(':', '%3A')})`;
const TOPIC_GITHUB = [
  '::warning file=app.ts,line=4,endLine=5,title=AI-written (ai-completion)::not reviewed',
  '::warning file=app.ts,line=7,endLine=7,title=Partly AI-written (ai-completion)::not reviewed',
  `::notice file=app.ts,line=9,endLine=10,title=${CHAT_TITLE}::reviewed by ${ANN.by} on ${DAY}`,
];

/** The topic history, then a second topic commit: an odd-named file with an unreviewed AI line, and a human one. */
async function twoCommits(repo: TempRepo, odd: string): Promise<void> {
  await history(repo);
  await writePieces(repo, odd, [L('odd()', AI), L('typed()', TYPED)]);
  await commitAll(repo, 'odd file');
}

describe('ai-provenance report --lines, --format markdown|github, --fail-unreviewed', function () {
  this.timeout(180_000);
  let repo!: TempRepo;
  useTempRepo((r) => (repo = r), { cli: true, hooks: true });

  it('--format github: one workflow command per range, checked line by line', async () => {
    await history(repo);
    const r = cli(repo.dir, ['report', 'main..topic', '--format', 'github']);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.stdout.split('\n'), [...TOPIC_GITHUB, '']);
  });

  it('--format github: odd paths escaped as GitHub\'s rules say (%, CR, LF; in properties : and ,)', async () => {
    const odd = '100% a,b:c\r\nü.ts';
    await twoCommits(repo, odd);
    const r = cli(repo.dir, ['report', 'main..topic', '--format', 'github']);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.stdout.split('\n'), [
      '::warning file=100%25 a%2Cb%3Ac%0D%0Aü.ts,line=1,endLine=1,title=AI-written (ai-completion)::not reviewed',
      ...TOPIC_GITHUB,
      '',
    ]);
    assert.equal(escapeData('a%b\r\nc:d,e'), 'a%25b%0D%0Ac:d,e');
    assert.equal(escapeProperty('a%b\r\nc:d,e'), 'a%25b%0D%0Ac%3Ad%2Ce');
  });

  it('--lines --json: today\'s report plus files: [{ path, ranges: [{ start, end, class, origin, tool, reviewed }] }]', async () => {
    const odd = 'dir with space/ü "q".ts';
    await twoCommits(repo, odd);
    const r = cli(repo.dir, ['report', 'main..topic', '--lines', '--json']);
    assert.equal(r.status, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as Record<string, unknown>;
    // A record here has a review, so the document also lists the reviews.
    assert.deepEqual(Object.keys(doc), ['shareDefinition', 'commits', 'total', 'gates', 'files', 'reviews']);
    assert.deepEqual(doc.files, [
      { path: 'app.ts', ranges: [
        { start: 4, end: 5, class: 'ai', origin: 'ai-completion', tool: null, reviewed: null },
        { start: 7, end: 7, class: 'mixed', origin: 'ai-completion', tool: null, reviewed: null },
        { start: 9, end: 10, class: 'ai', origin: 'ai-chat', tool: CHAT_TOOL, reviewed: { by: ANN.by, at: new Date(ANN.at).toISOString() } },
      ] },
      { path: odd, ranges: [{ start: 1, end: 1, class: 'ai', origin: 'ai-completion', tool: null, reviewed: null }] },
    ]);
    // Without --lines, no files.
    const plain = JSON.parse(cli(repo.dir, ['report', 'main..topic', '--json']).stdout) as Record<string, unknown>;
    assert.deepEqual(Object.keys(plain), ['shareDefinition', 'commits', 'total', 'gates', 'reviews']);
  });

  it('--lines in the table: each file\'s AI ranges under the commits', async () => {
    await history(repo);
    const r = cli(repo.dir, ['report', 'main..topic', '--lines']);
    assert.equal(r.status, 0, r.stderr);
    const tip = repo.ok(['rev-parse', 'topic']).trim().slice(0, 12);
    const tail = r.stdout.slice(r.stdout.indexOf('\nAI lines the range adds'));
    assert.equal(
      tail,
      [
        '',
        `AI lines the range adds, still there at ${tip}:`,
        '  app.ts',
        `    4-5         ai     ai-completion  ${'-'.padEnd(CHAT_TOOL.length)}  not reviewed`,
        `    7           mixed  ai-completion  ${'-'.padEnd(CHAT_TOOL.length)}  not reviewed`,
        `    9-10        ai     ai-chat        ${CHAT_TOOL}  reviewed by ${ANN.by} on ${DAY}`,
        '',
        'Reviews (from the records):',
        `  ${tip.slice(0, 7)}  2 of 5 AI lines reviewed by ${ANN.by}, reviewed by someone other than the author`,
        '',
      ].join('\n'),
    );
  });

  it('--format markdown: per-file AI lines, reviewed share, tools, totals', async () => {
    const odd = 'a|b*c.ts';
    await twoCommits(repo, odd);
    const r = cli(repo.dir, ['report', 'main..topic', '--format', 'markdown']);
    assert.equal(r.status, 0, r.stderr);
    const tip = repo.ok(['rev-parse', 'topic']).trim().slice(0, 12);
    const oddMd = 'a\\|b\\*c\\.ts';
    assert.equal(mdText(odd), oddMd);
    assert.equal(
      r.stdout,
      [
        '### AI provenance of main\\.\\.topic',
        '',
        `**6 of 8 added lines AI-written** (5 wholly, 1 in part), still there at ${tip}. Reviewed: 2 of 6 (33%). Unknown origin: 0. Tools: claude\\-code\\:claude\\-opus\\-4\\-5.`,
        '',
        '| File | Added lines | AI | wholly | in part | human | unknown | reviewed | tools |',
        '|---|--:|--:|--:|--:|--:|--:|---|---|',
        '| app\\.ts | 6 | 5 | 4 | 1 | 1 | 0 | 2 of 5 (40%) | claude\\-code\\:claude\\-opus\\-4\\-5 |',
        `| ${oddMd} | 2 | 1 | 1 | 0 | 1 | 0 | 0 of 1 (0%) | – |`,
        '| **Total** | 8 | 6 | 5 | 1 | 2 | 0 | 2 of 6 (33%) | claude\\-code\\:claude\\-opus\\-4\\-5 |',
        '',
        '<details><summary>AI-written ranges</summary>',
        '',
        '- app\\.ts lines 4-5: AI\\-written \\(ai\\-completion\\), not reviewed',
        '- app\\.ts line 7: Partly AI\\-written \\(ai\\-completion\\), not reviewed',
        `- app\\.ts lines 9-10: AI\\-written \\(ai\\-chat\\, claude\\-code\\:claude\\-opus\\-4\\-5\\), reviewed by Ann Lee \\<ann\\@example\\.com\\> on ${DAY.replace(/-/g, '\\-')}`,
        `- ${oddMd} line 1: AI\\-written \\(ai\\-completion\\), not reviewed`,
        '',
        '</details>',
        '',
        'Commits: 2, 2 with a readable AI-Provenance trailer; AI share from the trailers: 75% (6 of 8 lines). Lines are counted from each commit\'s record (git notes); a line with no record is unknown, never human.',
        '',
      ].join('\n'),
    );
  });

  it('--fail-unreviewed <n>: exit 1 when more than n AI lines are not reviewed, beside the other gates', async () => {
    await history(repo);
    const pass = cli(repo.dir, ['report', 'main..topic', '--fail-unreviewed', '3', '--json']);
    assert.equal(pass.status, 0, pass.stderr);
    const gate = (JSON.parse(pass.stdout) as { gates: Array<{ gate: string; passed: boolean; message: string }> }).gates;
    assert.deepEqual(gate, [{ gate: 'fail-unreviewed', passed: true, message: '3 AI-written lines not reviewed: no more than the 3 allowed' }]);
    const fail = cli(repo.dir, ['report', 'main..topic', '--fail-unreviewed', '2', '--require-trailer', '--format', 'github']);
    assert.equal(fail.status, 1);
    assert.deepEqual(fail.stdout.split('\n'), [...TOPIC_GITHUB, '']);
    assert.match(fail.stderr, /gate failed: 3 AI-written lines not reviewed: more than the 2 allowed/);
    // A later commit rewrites the unreviewed AI text with reviewed text: nothing is left unreviewed.
    await writePieces(repo, 'app.ts', TOPIC.map((l) => l.map(([t, e]) => (e === AI ? ([`${t} `, CHAT] as const) : ([t, e] as const)))));
    await commitAll(repo, 'reviewed');
    const after = cli(repo.dir, ['report', 'main..topic', '--fail-unreviewed', '0']);
    assert.equal(after.status, 0, after.stderr);
  });

  for (const [what, args] of [
    ['an unknown format', ['report', 'main..topic', '--format', 'xml']],
    ['a negative count', ['report', 'main..topic', '--fail-unreviewed=-1']],
    ['a count that is not a number', ['report', 'main..topic', '--fail-unreviewed', 'many']],
    ['two formats', ['report', 'main..topic', '--json', '--format', 'github']],
    ['a range with two tips', ['report', 'main...topic', '--lines']],
    ['no such revision', ['report', 'nope..topic', '--lines']],
  ] as const) {
    it(`bad input (${what}): exit 2 with one line`, async () => {
      await history(repo);
      assertUsageError(cli(repo.dir, args));
    });
  }
});
