import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { assertUsageError, cli, useTempRepo } from './helpers/gitRepo';
import type { TempRepo } from './helpers/gitRepo';
import { AI, ANN, CHAT_TOOL, commitAll, history, L, TYPED, writePieces } from './helpers/lineHistory';

describe('ai-provenance blame', function () {
  this.timeout(120_000);
  let repo!: TempRepo;
  useTempRepo((r) => (repo = r), { cli: true, hooks: true });

  it('--json: exactly { file, rev, lines: [{ line, commit, class, origin, tool, reviewed }] }', async () => {
    const { base, topic } = await history(repo);
    const r = cli(repo.dir, ['blame', 'app.ts', '--json']);
    assert.equal(r.status, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as { file: string; rev: string; lines: Array<Record<string, unknown>> };
    assert.deepEqual(Object.keys(doc), ['file', 'rev', 'lines']);
    assert.equal(doc.file, 'app.ts');
    assert.equal(doc.rev, topic);
    for (const l of doc.lines) assert.deepEqual(Object.keys(l), ['line', 'commit', 'class', 'origin', 'tool', 'reviewed']);
    assert.deepEqual(doc.lines[0], { line: 1, commit: base, class: 'unknown', origin: null, tool: null, reviewed: null });
    assert.deepEqual(doc.lines[3], { line: 4, commit: topic, class: 'ai', origin: 'ai-completion', tool: null, reviewed: null });
    assert.deepEqual(doc.lines[5], { line: 6, commit: topic, class: 'human', origin: null, tool: null, reviewed: null });
    assert.deepEqual(doc.lines[6], { line: 7, commit: topic, class: 'mixed', origin: 'ai-completion', tool: null, reviewed: null });
    assert.deepEqual(doc.lines[8], { line: 9, commit: topic, class: 'ai', origin: 'ai-chat', tool: CHAT_TOOL, reviewed: { by: ANN.by, at: new Date(ANN.at).toISOString() } });
    assert.equal(doc.lines.length, 10);
  });

  it('the table: one row per line, like git blame, with the text', async () => {
    const { base, topic } = await history(repo);
    const r = cli(repo.dir, ['blame', 'app.ts']);
    assert.equal(r.status, 0, r.stderr);
    const rows = r.stdout.split('\n');
    assert.equal(rows.pop(), '');
    const b = base.slice(0, 8);
    const t = topic.slice(0, 8);
    const pad = ' '.repeat(CHAT_TOOL.length - 1);
    assert.deepEqual(rows, [
      `${b} unknown -             -${pad}    1) import x`,
      `${b} unknown -             -${pad}    2) `,
      `${b} unknown -             -${pad}    3) base()`,
      `${t} ai      ai-completion -${pad} ·  4) ai1()`,
      `${t} ai      ai-completion -${pad} ·  5) ai2()`,
      `${t} human   -             -${pad}    6) typed()`,
      `${t} mixed   ai-completion -${pad} ·  7) mixed()`,
      `${t} unknown -             -${pad}    8) `,
      `${t} ai      ai-chat       ${CHAT_TOOL} ✓  9) chat1()`,
      `${t} ai      ai-chat       ${CHAT_TOOL} ✓ 10) chat2()`,
    ]);
  });

  it('a path relative to the current directory, --rev, and an odd file name', async () => {
    await history(repo);
    const odd = 'sub dir/ü "q"\tx.ts';
    await writePieces(repo, odd, [L('x()', AI), L('y()', TYPED)]);
    await commitAll(repo, 'odd');
    const r = cli(path.join(repo.dir, 'sub dir'), ['blame', '--json', 'ü "q"\tx.ts']);
    assert.equal(r.status, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as { file: string; lines: Array<{ class: string }> };
    assert.equal(doc.file, odd);
    assert.deepEqual(doc.lines.map((l) => l.class), ['ai', 'human']);
    const abs = cli(repo.dir, ['blame', '--json', path.join(repo.dir, odd)]);
    assert.equal(JSON.parse(abs.stdout).file, odd);
    const old = cli(repo.dir, ['blame', '--json', '--rev', 'main', 'app.ts']);
    assert.equal(JSON.parse(old.stdout).lines.length, 3);
  });

  for (const [what, args] of [
    ['no such file', ['blame', 'nope.ts']],
    ['no such revision', ['blame', 'app.ts', '--rev', 'nope']],
    ['a revision that looks like an option', ['blame', 'app.ts', '--rev=-x']],
    ['no file', ['blame']],
    ['two files', ['blame', 'a', 'b']],
    ['a path outside the repository', ['blame', '../outside.ts']],
  ] as const) {
    it(`bad input (${what}): exit 2 with one line`, async () => {
      await history(repo);
      assertUsageError(cli(repo.dir, args));
    });
  }
});
