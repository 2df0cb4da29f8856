import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readTrailerValue } from '../../src/core/trailer';
import { SHARE_DEFINITION } from '../../src/node/report/summary';
import { assertCliBuilt, cli, commitWithMessage, ev, TempRepo, useGitTestEnv, writeTracked, useTempRepo } from './helpers/gitRepo';

interface JsonCommit {
  sha: string;
  subject: string;
  lines: number | null;
  ai: number | null;
  mixed: number | null;
  human: number | null;
  unknown: number | null;
  share: number | null;
  reviewed: number | null;
  unreviewed: number | null;
  origins: Record<string, number>;
  extra: Record<string, number>;
  tools: string[];
  trailer: boolean;
  status: string;
  problem?: string;
  merge: boolean;
}

interface JsonReport {
  shareDefinition: string;
  commits: JsonCommit[];
  total: Record<string, unknown> & { commits: number; withTrailer: number; withoutTrailer: number; share: number };
  gates: Array<{ gate: string; passed: boolean; message: string; commits?: string[] }>;
}

/**
 * Commits a new file of `lines` non-blank lines with `message`: a hand-written
 * trailer that agrees with its commit, as `report` checks.
 */
async function commitLines(repo: TempRepo, name: string, lines: number, message: string): Promise<string> {
  await repo.write(`${name}.txt`, Array.from({ length: lines }, (_, i) => `${name} ${i}\n`).join(''));
  repo.ok(['add', '.']);
  return commitWithMessage(repo, message);
}

function jsonReport(cwd: string, ...args: string[]): { status: number | null; report: JsonReport; stderr: string } {
  const r = cli(cwd, ['report', ...args, '--json']);
  assert.equal(r.stdout.length > 0, true, r.stderr);
  return { status: r.status, report: JSON.parse(r.stdout) as JsonReport, stderr: r.stderr };
}

describe('commit: report over a range of commits', () => {
  useGitTestEnv();
  let repo: TempRepo;
  const sha: Record<string, string> = {};
  before(assertCliBuilt);
  before(async () => {
    // One repository for the read-only tests: every kind of commit the report must tell apart.
    repo = await TempRepo.create();
    sha.base = await commitLines(repo, 'base', 4, 'Base\n\nAI-Provenance: v=1 lines=4 ai=0 mixed=0 human=4 unknown=0\n');
    sha.ai = await commitLines(
      repo,
      'ai',
      10,
      'Add parser\n\nBody text.\n\nSigned-off-by: A <a@example.com>\nAI-Provenance: v=1 lines=10 ai=4 mixed=2 human=3 unknown=1 ai-completion=4 ai-chat=2\nAssisted-by: GitHub Copilot\nAssisted-by: claude-code\n',
    );
    sha.none = await commitWithMessage(repo, 'Fix typo without the hook\n');
    sha.bad = await commitWithMessage(repo, 'Hand-edited\n\nAI-Provenance: v=1 lines=ten ai=0\n');
    sha.v2 = await commitWithMessage(repo, 'From the future\n\nAI-Provenance: v=2 lines=7 agents=3\n');
    sha.extra = await commitLines(repo, 'extra', 6, 'Later revision\n\nAI-Provenance: v=1 lines=6 ai=3 mixed=0 human=3 unknown=0 ai-paste=3 reviewed=2\n');
    repo.ok(['checkout', '-q', '-b', 'side', `${sha.extra}~1`]);
    sha.side = await commitLines(repo, 'side', 2, 'Side work\n\nAI-Provenance: v=1 lines=2 ai=0 mixed=0 human=0 unknown=2\n');
    repo.ok(['checkout', '-q', 'main']);
    repo.ok(['merge', '-q', '--no-ff', '--no-edit', 'side']);
    sha.merge = repo.ok(['rev-parse', 'HEAD']).trim();
  });
  after(async () => {
    await repo.dispose();
  });

  it('reads every commit of a range with one trailer reading each, and adds up those with a readable one', () => {
    const { status, report } = jsonReport(repo.dir, `${sha.base}..HEAD`);
    assert.equal(status, 0);
    assert.equal(report.shareDefinition, SHARE_DEFINITION);
    const byName = (name: string): JsonCommit => {
      const c = report.commits.find((x) => x.sha === sha[name]);
      assert.ok(c, `commit ${name} is listed`);
      return c;
    };
    assert.equal(report.commits.length, 7);
    assert.deepEqual(byName('ai'), {
      sha: sha.ai,
      subject: 'Add parser',
      lines: 10,
      ai: 4,
      mixed: 2,
      human: 3,
      unknown: 1,
      share: 60,
      reviewed: 0,
      unreviewed: 6,
      origins: { 'ai-completion': 4, 'ai-chat': 2 },
      extra: {},
      tools: ['GitHub Copilot', 'claude-code'],
      trailer: true,
      status: 'ok',
      merge: false,
    });
    assert.deepEqual(
      { ...byName('none') },
      { sha: sha.none, subject: 'Fix typo without the hook', lines: null, ai: null, mixed: null, human: null, unknown: null, share: null, reviewed: null, unreviewed: null, origins: {}, extra: {}, tools: [], trailer: false, status: 'missing', merge: false },
    );
    assert.equal(byName('bad').status, 'malformed');
    assert.equal(byName('bad').trailer, true);
    assert.match(byName('bad').problem ?? '', /bad token "lines=ten"/);
    assert.equal(byName('v2').status, 'unsupported-version');
    assert.equal(byName('v2').problem, 'unsupported version v=2');
    assert.deepEqual(byName('extra').extra, { reviewed: 2 });
    assert.equal(byName('extra').reviewed, 2, 'reviewed AI lines come from the additive token');
    assert.equal(byName('extra').share, 50);
    assert.equal(byName('merge').merge, true);
    assert.equal(byName('merge').status, 'missing');
    assert.equal(byName('side').lines, 2);

    assert.deepEqual(report.total, {
      commits: 7,
      withTrailer: 3,
      withoutTrailer: 2,
      malformed: 1,
      unsupportedVersion: 1,
      inconsistent: 0,
      merges: 1,
      lines: 18,
      ai: 7,
      mixed: 2,
      human: 6,
      unknown: 3,
      share: 50,
      reviewed: 2,
      unreviewed: 7,
      origins: { 'ai-completion': 4, 'ai-chat': 2, 'ai-paste': 3 },
      extra: { reviewed: 2 },
      tools: ['GitHub Copilot', 'claude-code'],
    });
    assert.deepEqual(report.gates, []);
  });

  it('takes a range in the forms git does, and a single rev as its whole history', () => {
    const ids = (...args: string[]): string[] => jsonReport(repo.dir, ...args).report.commits.map((c) => c.sha);
    assert.deepEqual(ids('HEAD~1..'), [sha.merge, sha.side]);
    assert.deepEqual(ids(`${sha.bad}..${sha.v2}`), [sha.v2]);
    assert.deepEqual(ids(sha.ai), [sha.ai, sha.base]);
    assert.deepEqual(ids('HEAD..HEAD'), []);
    assert.equal(ids('HEAD').length, 8);
    // Several revs, as git log takes them.
    assert.deepEqual(ids('side', `^${sha.v2}`), [sha.side]);
  });

  it('prints a plain table, naming the share definition, and no colour codes when not on a terminal', () => {
    const r = cli(repo.dir, ['report', `${sha.base}..HEAD`]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.doesNotMatch(r.stdout, /\x1b\[/);
    const lines = r.stdout.split('\n');
    assert.match(lines[0], /^commit\s+ai%\s+lines\s+ai\s+mixed\s+human\s+unknown\s+reviewed\s+subject$/);
    const short = (name: string): string => sha[name].slice(0, 7);
    const rowOf = (name: string): number => lines.findIndex((l) => l.startsWith(short(name)));
    assert.match(lines[rowOf('ai')], /^\S+\s+60\.0%\s+10\s+4\s+2\s+3\s+1\s+0\/6\s+Add parser$/);
    assert.match(lines[rowOf('ai') + 1], /ai-completion=4 ai-chat=2 · Assisted-by: GitHub Copilot, Assisted-by: claude-code/);
    assert.match(lines[rowOf('none') + 1], /^\s+no trailer$/);
    assert.match(lines[rowOf('merge') + 1], /^\s+merge, no trailer$/);
    assert.match(lines[rowOf('bad') + 1], /^\s+malformed trailer \(bad token "lines=ten"\)$/);
    assert.match(lines[rowOf('v2') + 1], /^\s+unsupported version v=2$/);
    assert.match(r.stdout, /\ntotal\s+50\.0%\s+18\s+7\s+2\s+6\s+3\s+2\/9\n/);
    assert.match(r.stdout, /\nAI lines reviewed: 2, not reviewed: 7 /);
    assert.match(r.stdout, /\n7 commits, 3 with a trailer, 2 without, 1 malformed, 1 of an unsupported version, 1 merge \(the hook leaves merges alone\)\n/);
    assert.ok(r.stdout.endsWith(`${SHARE_DEFINITION}\n`));
  });

  it('fails the --fail-above gate only when the total share is above the limit, saying why', () => {
    // 9 of 18 lines: exactly 50%.
    const above = jsonReport(repo.dir, `${sha.base}..HEAD`, '--fail-above', '49.5');
    assert.equal(above.status, 1);
    assert.equal(above.stderr, 'ai-provenance: gate failed: AI share 50% (9 of 18 lines) is above 49.5%\n');
    assert.deepEqual(above.report.gates, [{ gate: 'fail-above', passed: false, message: 'AI share 50% (9 of 18 lines) is above 49.5%' }]);
    const at = jsonReport(repo.dir, `${sha.base}..HEAD`, '--fail-above=50');
    assert.equal(at.status, 0, at.stderr);
    assert.equal(at.stderr, '');
    assert.equal(at.report.gates[0].passed, true);
    // No lines at all: a share of 0.
    const empty = cli(repo.dir, ['report', 'HEAD..HEAD', '--fail-above', '0']);
    assert.equal(empty.status, 0, empty.stderr);
  });

  it('fails --require-trailer for non-merge commits without a readable trailer, listing them', () => {
    const r = cli(repo.dir, ['report', `${sha.base}..HEAD`, '--require-trailer']);
    assert.equal(r.status, 1);
    const lines = r.stderr.trimEnd().split('\n');
    assert.equal(lines[0], 'ai-provenance: gate failed: 3 non-merge commits without a readable AI-Provenance trailer:');
    assert.deepEqual(lines.slice(1).map((l) => l.trim().split(' ')[0]), [sha.v2, sha.bad, sha.none].map((s) => s.slice(0, 7)));
    assert.match(r.stderr, /no trailer {2}Fix typo without the hook/);
    assert.match(r.stderr, /malformed trailer/);
    assert.doesNotMatch(r.stderr, new RegExp(sha.merge.slice(0, 7)));
    // Table still printed on stdout.
    assert.match(r.stdout, /^commit /);
    // The merge alone lacks a trailer: it passes.
    const merge = cli(repo.dir, ['report', `${sha.merge}^1..${sha.merge}`, '--require-trailer', '--fail-above', '100']);
    assert.equal(merge.status, 0, merge.stderr);
  });

  it('exits 2 with a clear message for a bad range or bad options', () => {
    const cases: Array<[string[], RegExp]> = [
      [['report'], /missing <rev-range>/],
      [['report', 'no-such-branch..HEAD'], /cannot read the commits of no-such-branch\.\.HEAD: .*no-such-branch/],
      [['report', '--output=x'], /unknown option: --output=x/],
      [['report', 'HEAD', '--fail-above'], /--fail-above needs a value/],
      [['report', 'HEAD', '--fail-above', 'lots'], /--fail-above needs a percentage from 0 to 100/],
      [['report', 'HEAD', '--fail-above', '101'], /--fail-above needs a percentage from 0 to 100/],
      [['report', 'HEAD', '--json', '--json'], /--json given twice/],
    ];
    for (const [args, message] of cases) {
      const r = cli(repo.dir, args);
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /^ai-provenance: /);
      assert.match(r.stderr, message);
      assert.equal(r.stdout, '');
    }
    // A rev that looks like an option is still a rev.
    const dash = cli(repo.dir, ['report', '--', '-p']);
    assert.equal(dash.status, 2);
    assert.match(dash.stderr, /bad revision '-p'/);
    const outside = mkdtempSync(path.join(os.tmpdir(), 'aip-norepo-'));
    try {
      const r = cli(outside, ['report', 'HEAD']);
      assert.equal(r.status, 2);
      assert.match(r.stderr, /not a git repository/);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });
});

describe('commit: report over trailers the real hook wrote', () => {
  let repo!: TempRepo;
  useTempRepo((r) => (repo = r), { cli: true, hooks: true });

  it('adds up what the hook counted, tools included', async () => {
    await writeTracked(repo, 'a.ts', [
      ['typed()', ev('typed')],
      ['completed()', ev('ai-completion')],
    ]);
    repo.ok(['add', '.']);
    repo.ok(['commit', '-q', '-m', 'first']);
    await writeTracked(repo, 'b.ts', [
      ['agent()', ev('ai-chat', 'claude-code')],
      ['agent2()', ev('ai-chat', 'claude-code')],
      ['typed2()', ev('typed')],
    ]);
    repo.ok(['add', '.']);
    repo.ok(['commit', '-q', '-m', 'second']);
    const { status, report } = jsonReport(repo.dir, 'HEAD');
    assert.equal(status, 0);
    assert.deepEqual(
      report.commits.map((c) => [c.subject, c.lines, c.ai, c.human, c.share, c.origins, c.tools]),
      [
        ['second', 3, 2, 1, 66.7, { 'ai-chat': 2 }, ['claude-code']],
        ['first', 2, 1, 1, 50, { 'ai-completion': 1 }, []],
      ],
    );
    assert.equal(report.total.share, 60);
    assert.deepEqual(report.total.tools, ['claude-code']);
    assert.equal(cli(repo.dir, ['report', 'HEAD', '--require-trailer', '--fail-above', '60']).status, 0);
    assert.equal(cli(repo.dir, ['report', 'HEAD', '--fail-above', '59.9']).status, 1);
  });
});

describe('commit: reading a trailer value', () => {
  it('reads version 1, keeping unknown tokens as numbers', () => {
    assert.deepEqual(readTrailerValue('v=1 lines=3 ai=1 mixed=1 human=1 unknown=0 ai-chat=2 reviewed=1'), {
      status: 'ok',
      counts: { lines: 3, ai: 1, mixed: 1, human: 1, unknown: 0, reviewed: 1, byOrigin: { 'ai-chat': 2 }, tools: new Set() },
      extra: { reviewed: 1 },
    });
  });

  it('reports what does not parse as malformed, never guessing', () => {
    const problem = (v: string): string | undefined => {
      const r = readTrailerValue(v);
      return r.status === 'malformed' ? r.problem : undefined;
    };
    assert.equal(problem(''), 'empty value');
    assert.equal(problem('v=1 lines=3 ai'), 'bad token "ai"');
    assert.equal(problem('v=1 lines=-3'), 'bad token "lines=-3"');
    assert.equal(problem('v=1 lines=3.5'), 'bad token "lines=3.5"');
    assert.equal(problem('v=1 Lines=3'), 'bad token "Lines=3"');
    assert.equal(problem('lines=0 v=1 ai=0 mixed=0 human=0 unknown=0'), 'does not start with v=');
    assert.equal(problem('v=1 lines=1 ai=1 ai=1 mixed=0 human=0 unknown=0'), 'ai given twice');
    assert.equal(problem('v=1 lines=1 ai=1 mixed=0 human=0'), 'no unknown=');
    assert.equal(problem('v=1 lines=2 ai=1 mixed=0 human=0 unknown=0'), 'lines is not ai + mixed + human + unknown');
    assert.equal(problem('v=1 lines=99999999999999999999 ai=0 mixed=0 human=0 unknown=0'), 'count too large in lines');
  });

  it('names another version as unsupported, whatever its tokens', () => {
    assert.deepEqual(readTrailerValue('v=2 anything=1'), { status: 'unsupported-version', version: 2, problem: 'unsupported version v=2' });
    assert.equal(readTrailerValue('v=0 lines=0 ai=0 mixed=0 human=0 unknown=0').status, 'unsupported-version');
  });
});
