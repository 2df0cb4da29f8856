import { strict as assert } from 'node:assert';
import { promises as fs } from 'node:fs';
import { buildFileLedger } from '../../src/core/ledger';
import type { Evidence } from '../../src/core/origin';
import type { Run } from '../../src/core/spans';
import { writeFileLedger } from '../../src/node/git/ledgerStore';
import { assertUsageError, cli, ev, useTempRepo, writeTracked } from './helpers/gitRepo';
import type { TempRepo } from './helpers/gitRepo';

const COMPLETION = ev('ai-completion');
const CHAT = ev('ai-chat', 'claude-code:claude-opus-4-5');
const TYPED = ev('typed');
const NO_HOOKS = ['-c', 'core.hooksPath=/nonexistent-hooks'];

/** The record of a commit as stored, without its header; `(no record)` when it has none. */
function record(repo: TempRepo, rev: string): string[] {
  const r = repo.git(['notes', '--ref=ai-provenance', 'show', rev]);
  if (r.status !== 0) return ['(no record)'];
  const lines = r.stdout.split('\n').filter((l) => l !== '');
  assert.equal(lines[0], 'ai-provenance v1');
  return lines.slice(1);
}

/** A file whose lines carry runs as given (a line of several runs is `mixed` when some are AI and some typed). */
async function writeRuns(repo: TempRepo, rel: string, lines: ReadonlyArray<ReadonlyArray<readonly [string, Evidence | null]>>): Promise<void> {
  const runs: Run[] = [];
  let text = '';
  for (const parts of lines) {
    for (const [s, e] of parts) {
      runs.push({ len: s.length, ev: e });
      text += s;
    }
    runs.push({ len: 1, ev: null });
    text += '\n';
  }
  await repo.write(rel, text);
  await writeFileLedger(repo.paths.ledgerDir, buildFileLedger(rel, text, runs, Date.now()));
}

function commitAll(repo: TempRepo, msg: string, extra: readonly string[] = []): string {
  repo.ok([...extra, 'add', '-A']);
  repo.ok([...extra, 'commit', '-q', '-m', msg]);
  return repo.ok(['rev-parse', 'HEAD']).trim();
}

const P1_A: Array<[string, Evidence | null]> = [
  ['top()', null],
  ['ai1()', COMPLETION],
  ['ai2()', COMPLETION],
  ['typed1()', TYPED],
];

/**
 * main: a.ts `top()`; pr: P1 adds AI, typed and (b.ts) mixed and unknown
 * lines, P2 inserts an agent's lines at the top of a.ts, P3 retypes `ai2()`
 * and adds an unrecorded line. Then main moves (c.ts). Ends on main with the
 * ledgers forgotten; returns the pull request's base.
 */
async function pullRequest(repo: TempRepo): Promise<string> {
  await repo.write('a.ts', 'top()\n');
  const base = commitAll(repo, 'base');
  repo.ok(['checkout', '-q', '-b', 'pr']);
  await writeTracked(repo, 'a.ts', P1_A);
  await writeRuns(repo, 'b.ts', [[['mix(', COMPLETION], ['typed)', TYPED]], [['plain()', null]]]);
  commitAll(repo, 'P1');
  const agent: Array<[string, Evidence | null]> = [['agent1()', CHAT], ['agent2()', CHAT]];
  await writeTracked(repo, 'a.ts', [...agent, ...P1_A]);
  commitAll(repo, 'P2');
  await writeTracked(repo, 'a.ts', [...agent, ['top()', null], ['ai1()', COMPLETION], ['ai2x()', TYPED], ['typed1()', TYPED]]);
  await fs.appendFile(`${repo.dir}/a.ts`, 'unrecorded()\n');
  commitAll(repo, 'P3');
  repo.ok(['checkout', '-q', 'main']);
  await repo.write('c.ts', 'main moved()\n');
  commitAll(repo, 'main moves');
  await fs.rm(repo.paths.ledgerDir, { recursive: true, force: true });
  return base;
}

const AGENT = 'ai origin=ai-chat conf=certain tool=claude-code model=claude-opus-4-5';
const COMPLETED = 'ai origin=ai-completion conf=certain';
/** What the squash of the pull request adds, line by line, as the hooks would have recorded it. */
const SQUASHED = ['a.ts 1-2 ' + AGENT, `a.ts 4 ${COMPLETED}`, 'a.ts 5-6 human', 'a.ts 7 unknown', `b.ts 1 mixed origin=ai-completion conf=certain`, 'b.ts 2 unknown'];

describe('notes rebuild: forge merges get their records from the pull request\'s', function () {
  this.timeout(180_000);
  let repo!: TempRepo;
  useTempRepo((r) => (repo = r), { cli: true, hooks: true });

  it('the pull request\'s own records (what the rebuild starts from)', async () => {
    await pullRequest(repo);
    assert.deepEqual(record(repo, 'pr~2'), [`a.ts 2-3 ${COMPLETED}`, 'a.ts 4 human', `b.ts 1 mixed origin=ai-completion conf=certain`, 'b.ts 2 unknown']);
    assert.deepEqual(record(repo, 'pr~1'), ['a.ts 1-2 ' + AGENT]);
    assert.deepEqual(record(repo, 'pr'), ['a.ts 5 human', 'a.ts 7 unknown']);
  });

  it('a squash merge made without hooks is rebuilt line by line (blame at the head)', async () => {
    const base = await pullRequest(repo);
    repo.ok([...NO_HOOKS, 'merge', '-q', '--squash', 'pr']);
    const squash = commitAll(repo, 'Squashed pull request (#1)', NO_HOOKS);
    assert.deepEqual(record(repo, squash), ['(no record)']);
    const r = cli(repo.dir, ['notes', 'rebuild', squash, '--from', `${base}..pr`]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^${squash.slice(0, 12)} written: traced by blame at the range's head: v=1 lines=8 ai=3 mixed=1 human=2 unknown=2`));
    assert.deepEqual(record(repo, squash), SQUASHED);
    assert.equal(cli(repo.dir, ['verify', `${squash}~1..${squash}`]).stdout.includes('record lines differ'), false);
  });

  it('the same squash made with the hooks (git merge --squash) gives the same record', async () => {
    await pullRequest(repo);
    repo.ok(['merge', '-q', '--squash', 'pr']);
    commitAll(repo, 'squash here');
    assert.deepEqual(record(repo, 'HEAD'), SQUASHED);
  });

  it('a rebase merge (cherry-picks without hooks) is rebuilt commit by commit, paired by patch id', async () => {
    const base = await pullRequest(repo);
    for (const c of ['pr~2', 'pr~1', 'pr']) repo.ok([...NO_HOOKS, 'cherry-pick', c]);
    for (const c of ['HEAD~2', 'HEAD~1', 'HEAD']) assert.deepEqual(record(repo, c), ['(no record)']);
    const r = cli(repo.dir, ['notes', 'rebuild', 'HEAD~3..HEAD', '--from', `${base}..pr`, '--json']);
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { commits: Array<{ status: string; method: string; original: string }> };
    const originals = ['pr~2', 'pr~1', 'pr'].map((c) => repo.ok(['rev-parse', c]).trim());
    assert.deepEqual(
      out.commits.map((c) => [c.status, c.method, c.original]),
      originals.map((o) => ['written', 'patch-id', o]),
    );
    for (const [i, c] of ['HEAD~2', 'HEAD~1', 'HEAD'].entries()) assert.deepEqual(record(repo, c), record(repo, originals[i]));
  });

  it('a rebased commit whose patch changed (a conflict resolved by the forge) falls back to blame', async () => {
    const base = await pullRequest(repo);
    // The forge had to change P1 on the way in: its patch is not P1's any more.
    repo.ok([...NO_HOOKS, 'cherry-pick', 'pr~2']);
    await repo.write('a.ts', 'top()\nai1()\nai2()\ntyped1()\nforge()\n');
    repo.ok([...NO_HOOKS, 'commit', '-q', '-a', '--amend', '-m', 'P1 with a forge line']);
    const r = cli(repo.dir, ['notes', 'rebuild', 'HEAD', '--from', `${base}..pr`, '--json']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { commits: Array<{ method: string }> }).commits[0].method, 'blame');
    // ai1 is still P1's (blame at the head); ai2 was retyped in P3, so the head does not have it: unknown, never guessed.
    assert.deepEqual(record(repo, 'HEAD'), [`a.ts 2 ${COMPLETED}`, 'a.ts 3,5 unknown', 'a.ts 4 human', `b.ts 1 mixed origin=ai-completion conf=certain`, 'b.ts 2 unknown']);
  });

  it('a merge commit (the forge kept the pull request\'s commits): nothing rebuilt, nothing written', async () => {
    const base = await pullRequest(repo);
    const before = repo.ok(['rev-parse', 'HEAD']).trim();
    repo.ok([...NO_HOOKS, 'merge', '-q', '--no-ff', '-m', 'Merge pull request #1', 'pr']);
    const notesBefore = repo.ok(['notes', '--ref=ai-provenance', 'list']);
    const r = cli(repo.dir, ['notes', 'rebuild', `${before}..HEAD`, '--from', `${base}..pr`]);
    assert.equal(r.status, 0, r.stderr);
    const rows = r.stdout.trim().split('\n');
    assert.equal(rows.length, 4);
    assert.equal(rows.filter((l) => l.includes("skipped: one of the pull request's own commits")).length, 3);
    assert.match(rows[3], /skipped: a merge commit/);
    assert.equal(repo.ok(['notes', '--ref=ai-provenance', 'list']), notesBefore);
  });

  it('never replaces a record without --force; --dry-run writes nothing', async () => {
    const base = await pullRequest(repo);
    repo.ok([...NO_HOOKS, 'merge', '-q', '--squash', 'pr']);
    const squash = commitAll(repo, 'squash', NO_HOOKS);
    const dry = cli(repo.dir, ['notes', 'rebuild', squash, '--from', `${base}..pr`, '--dry-run']);
    assert.equal(dry.status, 0, dry.stderr);
    assert.match(dry.stdout, / would write: /);
    assert.ok(dry.stdout.includes(`    a.ts 1-2 ${AGENT}\n`), dry.stdout);
    assert.deepEqual(record(repo, squash), ['(no record)']);
    repo.ok(['notes', '--ref=ai-provenance', 'add', '-m', 'ai-provenance v1\na.ts 1 human\n', squash]);
    const kept = cli(repo.dir, ['notes', 'rebuild', squash, '--from', `${base}..pr`]);
    assert.equal(kept.status, 0, kept.stderr);
    assert.match(kept.stdout, /kept: it has a record \(--force replaces it\)/);
    assert.deepEqual(record(repo, squash), ['a.ts 1 human']);
    assert.equal(cli(repo.dir, ['notes', 'rebuild', squash, '--from', `${base}..pr`, '--force']).status, 0);
    assert.deepEqual(record(repo, squash), SQUASHED);
  });

  it('bad input: exit 2 with one line', async () => {
    const base = await pullRequest(repo);
    const cases: string[][] = [
      ['notes', 'rebuild', 'HEAD'],
      ['notes', 'rebuild', '--from', `${base}..pr`],
      ['notes', 'rebuild', 'HEAD', '--from', 'pr'],
      ['notes', 'rebuild', 'no-such-rev', '--from', `${base}..pr`],
      ['notes', 'rebuild', 'HEAD', '--from', 'nothing..here'],
      ['notes', 'rebuild', 'HEAD', '--from', 'pr..pr'],
      ['notes', 'rebuild', 'HEAD', '--from', `${base}..pr`, '--format', 'x'],
      ['notes', 'frobnicate'],
      ['notes'],
    ];
    for (const args of cases) {
      assertUsageError(cli(repo.dir, args), args.join(' '));
    }
  });
});
