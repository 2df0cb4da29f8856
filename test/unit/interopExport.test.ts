import { strict as assert } from 'node:assert';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { parseGitAiNote } from '../../src/core/gitAiNote';
import { readRecords } from '../../src/node/record/notes';
import { assertUsageError, cli, ev, useTempRepo, writeTracked } from './helpers/gitRepo';
import type { TempRepo } from './helpers/gitRepo';

/**
 * Agent Trace 0.1.0's trace-record schema (cursor/agent-trace,
 * schemas/trace-record.json), rule by rule: required fields, types, enums,
 * patterns, minimums, and no properties beyond the listed ones.
 */
const UUID = /^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}|00000000-0000-0000-0000-000000000000|ffffffff-ffff-ffff-ffff-ffffffffffff)$/;
const DATE_TIME = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?Z$/;
const CONTRIBUTOR_TYPES = ['human', 'ai', 'mixed', 'unknown'];

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Checks an object: listed properties only, the required ones present, each by its own check. */
function checkObject(v: unknown, at: string, props: Record<string, (v: unknown, at: string) => string[]>, required: readonly string[]): string[] {
  if (!isObject(v)) return [`${at}: not an object`];
  const errs: string[] = [];
  for (const k of Object.keys(v)) if (!(k in props)) errs.push(`${at}: unexpected property ${k}`);
  for (const k of required) if (!(k in v)) errs.push(`${at}: missing ${k}`);
  for (const [k, check] of Object.entries(props)) if (k in v) errs.push(...check(v[k], `${at}.${k}`));
  return errs;
}

const str = (pattern?: RegExp, max?: number) => (v: unknown, at: string): string[] => {
  if (typeof v !== 'string') return [`${at}: not a string`];
  if (pattern && !pattern.test(v)) return [`${at}: ${JSON.stringify(v)} does not match ${pattern.source.slice(0, 40)}`];
  if (max !== undefined && v.length > max) return [`${at}: longer than ${max}`];
  return [];
};
const oneOf = (values: readonly string[]) => (v: unknown, at: string): string[] => (typeof v === 'string' && values.includes(v) ? [] : [`${at}: ${JSON.stringify(v)} is not one of ${values.join(', ')}`]);
const lineNumber = (v: unknown, at: string): string[] => (Number.isSafeInteger(v) && (v as number) >= 1 ? [] : [`${at}: not an integer ≥ 1`]);
const arrayOf = (item: (v: unknown, at: string) => string[]) => (v: unknown, at: string): string[] => (Array.isArray(v) ? v.flatMap((x, i) => item(x, `${at}[${i}]`)) : [`${at}: not an array`]);
const contributor = (v: unknown, at: string): string[] => checkObject(v, at, { type: oneOf(CONTRIBUTOR_TYPES), model_id: str(undefined, 250) }, ['type']);
const range = (v: unknown, at: string): string[] => checkObject(v, at, { start_line: lineNumber, end_line: lineNumber, content_hash: str(), contributor }, ['start_line', 'end_line']);
const related = (v: unknown, at: string): string[] => checkObject(v, at, { type: str(), url: str(/^[a-z][a-z0-9+.-]*:/i) }, ['type', 'url']);
const conversation = (v: unknown, at: string): string[] => checkObject(v, at, { url: str(/^[a-z][a-z0-9+.-]*:/i), contributor, ranges: arrayOf(range), related: arrayOf(related) }, ['ranges']);
const file = (v: unknown, at: string): string[] => checkObject(v, at, { path: str(), conversations: arrayOf(conversation) }, ['path', 'conversations']);

function validateTraceRecord(v: unknown): string[] {
  return checkObject(
    v,
    'record',
    {
      version: str(/^[0-9]+\.[0-9]+$/),
      id: str(UUID),
      timestamp: (x, at) => [...str(DATE_TIME)(x, at), ...(typeof x === 'string' && Number.isNaN(Date.parse(x)) ? [`${at}: not a date`] : [])],
      vcs: (x, at) => checkObject(x, at, { type: oneOf(['git', 'jj', 'hg', 'svn']), revision: str() }, ['type', 'revision']),
      tool: (x, at) => checkObject(x, at, { name: str(), version: str() }, ['name', 'version']),
      files: arrayOf(file),
      metadata: (x, at) => (isObject(x) ? [] : [`${at}: not an object`]),
    },
    ['version', 'id', 'timestamp', 'files'],
  );
}

/** A git-ai authorship/3.0.0 note, as git-ai writes it. */
function gitAiNote(attestations: string, base: string): string {
  const meta = {
    schema_version: 'authorship/3.0.0',
    git_ai_version: '1.4.5',
    base_commit_sha: base,
    prompts: { abcd1234abcd1234: { agent_id: { tool: 'cursor', id: 'old', model: 'gpt-4o' }, human_author: 'Dev <dev@example.com>', total_additions: 2, total_deletions: 0, accepted_lines: 2, overriden_lines: 0 } },
    humans: { h_31dce776f88375: { author: 'Dev <dev@example.com>' } },
    sessions: { s_c9883b05a2487d: { agent_id: { tool: 'claude', id: 'conv_abc123', model: 'claude-sonnet-4-5-20250514' }, human_author: 'dev@example.com' } },
  };
  return `${attestations}---\n${JSON.stringify(meta, null, 2)}\n`;
}

async function addGitAiNote(repo: TempRepo, rev: string, text: string): Promise<void> {
  const file = path.join(repo.paths.gitDir, 'GIT_AI_NOTE');
  await fs.writeFile(file, text);
  repo.ok(['notes', '--ref=ai', 'add', '-F', file, rev]);
}

function exportTraces(repo: TempRepo, range: string): { traces: Json[]; stderr: string } {
  const r = cli(repo.dir, ['export', '--format', 'agent-trace', range]);
  assert.equal(r.status, 0, r.stderr);
  return { traces: r.stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Json), stderr: r.stderr };
}

describe('interop: Agent Trace export and git-ai notes', function () {
  this.timeout(120_000);
  let repo!: TempRepo;
  useTempRepo((r) => (repo = r), { cli: true, hooks: true });

  async function history(): Promise<{ base: string; work: string; plain: string }> {
    await repo.write('base.txt', 'base\n');
    repo.ok(['add', '.']);
    repo.ok(['commit', '-q', '-m', 'base']);
    const base = repo.ok(['rev-parse', 'HEAD']).trim();
    await writeTracked(repo, 'src/a.ts', [['typed()', ev('typed')], ['agent()', ev('ai-chat', 'claude-code:claude-opus-4-5')], ['', null], ['done()', ev('ai-completion')], ['plain()', null]]);
    repo.ok(['add', '.']);
    repo.ok(['commit', '-q', '-m', 'work']);
    const work = repo.ok(['rev-parse', 'HEAD']).trim();
    // A commit made without our hooks, with git-ai's note (as a teammate using git-ai would push it).
    await repo.write('src/my file.rs', 'fn a() {}\nfn b() {}\nfn c() {}\nfn d() {}\nfn e() {}\n');
    repo.ok(['-c', 'core.hooksPath=/nonexistent-hooks', 'add', '.']);
    repo.ok(['-c', 'core.hooksPath=/nonexistent-hooks', 'commit', '-q', '-m', 'from a git-ai user']);
    const plain = repo.ok(['rev-parse', 'HEAD']).trim();
    return { base, work, plain };
  }

  it('export --format agent-trace: one valid record per commit, ranges and contributors from the record', async () => {
    const { base, work } = await history();
    const { traces, stderr } = exportTraces(repo, `${base}..HEAD`);
    assert.match(stderr, /1 commit without a record left out/);
    assert.equal(traces.length, 1);
    assert.deepEqual(validateTraceRecord(traces[0]), []);
    const t = traces[0];
    assert.equal(t.version, '0.1');
    assert.deepEqual(t.vcs, { type: 'git', revision: work });
    assert.equal((t.tool as Json).name, 'ai-provenance');
    assert.equal(t.timestamp, new Date(Number(repo.ok(['log', '-1', '--format=%ct', work]).trim()) * 1000).toISOString().replace('.000Z', 'Z'));
    assert.deepEqual(t.files, [
      {
        path: 'src/a.ts',
        conversations: [
          { contributor: { type: 'human' }, ranges: [{ start_line: 1, end_line: 1 }] },
          { contributor: { type: 'ai', model_id: 'anthropic/claude-opus-4-5' }, ranges: [{ start_line: 2, end_line: 2 }] },
          { contributor: { type: 'ai' }, ranges: [{ start_line: 4, end_line: 4 }] },
          { contributor: { type: 'unknown' }, ranges: [{ start_line: 5, end_line: 5 }] },
        ],
      },
    ]);
    const meta = (t.metadata as Json)['ai-provenance'] as Json;
    assert.equal(meta.source, 'ai-provenance');
    assert.deepEqual(meta.lines, [
      { path: 'src/a.ts', start_line: 2, end_line: 2, class: 'ai', origin: 'ai-chat', confidence: 'certain', tool: 'claude-code', model: 'claude-opus-4-5', reviewed: null },
      { path: 'src/a.ts', start_line: 4, end_line: 4, class: 'ai', origin: 'ai-completion', confidence: 'certain', reviewed: null },
    ]);
    // Stable: the same record exports with the same id.
    assert.equal(exportTraces(repo, `${base}..HEAD`).traces[0].id, t.id);
  });

  it("git-ai's notes (refs/notes/ai, authorship/3.0.0) are read for commits with none of ours, marked as git-ai's", async () => {
    const { base, work, plain } = await history();
    await addGitAiNote(repo, plain, gitAiNote('"src/my file.rs"\n  s_c9883b05a2487d::t_9f8e7d6c5b4a32 1-2\n  h_31dce776f88375 3\n  abcd1234abcd1234 5\n', work));
    // git-ai's note on a commit that has ours too: ours is the one read.
    await addGitAiNote(repo, work, gitAiNote('src/a.ts\n  h_31dce776f88375 1-5\n', base));
    const records = await readRecords([work, plain], { cwd: repo.dir });
    assert.equal(records.get(work)?.source, 'ai-provenance');
    const theirs = records.get(plain);
    assert.equal(theirs?.source, 'git-ai');
    assert.deepEqual(theirs?.problems, []);
    const lines = theirs?.record.files.map((f) => [f.path, [...f.lines].map(([n, a]) => [n, a.cls, a.origin, a.conf, a.tool, a.model])]);
    assert.deepEqual(lines, [
      [
        'src/my file.rs',
        [
          [1, 'ai', 'ai-chat', 'likely', 'claude', 'claude-sonnet-4-5-20250514'],
          [2, 'ai', 'ai-chat', 'likely', 'claude', 'claude-sonnet-4-5-20250514'],
          [3, 'human', undefined, undefined, undefined, undefined],
          [5, 'ai', 'ai-chat', 'likely', 'cursor', 'gpt-4o'],
        ],
      ],
    ]);
    // Writers never take git-ai's notes.
    assert.equal((await readRecords([plain], { cwd: repo.dir, gitAi: false })).size, 0);
    const { traces } = exportTraces(repo, `${base}..HEAD`);
    assert.equal(traces.length, 2);
    for (const t of traces) assert.deepEqual(validateTraceRecord(t), []);
    const fromGitAi = traces[1];
    assert.equal(((fromGitAi.metadata as Json)['ai-provenance'] as Json).source, 'git-ai');
    assert.deepEqual((fromGitAi.files as Json[])[0], {
      path: 'src/my file.rs',
      conversations: [
        { contributor: { type: 'ai', model_id: 'anthropic/claude-sonnet-4-5-20250514' }, ranges: [{ start_line: 1, end_line: 2 }] },
        { contributor: { type: 'human' }, ranges: [{ start_line: 3, end_line: 3 }] },
        { contributor: { type: 'ai', model_id: 'openai/gpt-4o' }, ranges: [{ start_line: 5, end_line: 5 }] },
      ],
    });
    // git-ai's ref is read, never written.
    assert.equal(repo.ok(['notes', '--ref=ai', 'list']).trim().split('\n').length, 2);
  });

  it("report --lines and blame show the lines of a git-ai note for a commit without ours", async () => {
    const { base, work, plain } = await history();
    await addGitAiNote(repo, plain, gitAiNote('"src/my file.rs"\n  s_c9883b05a2487d::t_9f8e7d6c5b4a32 1-2\n  h_31dce776f88375 3\n  abcd1234abcd1234 5\n', work));
    const b = cli(repo.dir, ['blame', 'src/my file.rs', '--json']);
    assert.equal(b.status, 0, b.stderr);
    const rows = (JSON.parse(b.stdout) as { lines: Json[] }).lines.map((l) => [l.line, l.commit, l.class, l.origin, l.tool, l.reviewed]);
    const chat = 'claude:claude-sonnet-4-5-20250514';
    assert.deepEqual(rows, [
      [1, plain, 'ai', 'ai-chat', chat, null],
      [2, plain, 'ai', 'ai-chat', chat, null],
      [3, plain, 'human', null, null, null],
      [4, plain, 'unknown', null, null, null],
      [5, plain, 'ai', 'ai-chat', 'cursor:gpt-4o', null],
    ]);
    const r = cli(repo.dir, ['report', `${base}..HEAD`, '--lines', '--json']);
    assert.equal(r.status, 0, r.stderr);
    const files = (JSON.parse(r.stdout) as { files: Json[] }).files;
    // Ours for the commit with our record, git-ai's for the one with only theirs.
    assert.deepEqual(files, [
      {
        path: 'src/a.ts',
        ranges: [
          { start: 2, end: 2, class: 'ai', origin: 'ai-chat', tool: 'claude-code:claude-opus-4-5', reviewed: null },
          { start: 4, end: 4, class: 'ai', origin: 'ai-completion', tool: null, reviewed: null },
        ],
      },
      {
        path: 'src/my file.rs',
        ranges: [
          { start: 1, end: 2, class: 'ai', origin: 'ai-chat', tool: chat, reviewed: null },
          { start: 5, end: 5, class: 'ai', origin: 'ai-chat', tool: 'cursor:gpt-4o', reviewed: null },
        ],
      },
    ]);
  });

  it('malformed git-ai notes are reported, never guessed at', async () => {
    const { base, plain } = await history();
    await addGitAiNote(repo, plain, gitAiNote('src/x.rs\n  s_c9883b05a2487d::t_9f8e7d6c5b4a32 3-1\n  s_ffffffffffffff::t_9f8e7d6c5b4a32 4\n  zz 5\n  h_31dce776f88375 6\n  abcd1234abcd1234 6\n  h_31dce776f88375 7\n', base));
    const r = (await readRecords([plain], { cwd: repo.dir })).get(plain);
    assert.equal(r?.source, 'git-ai');
    assert.deepEqual(r?.problems, [
      'git-ai note line 2: malformed entry',
      'git-ai note line 3: key s_ffffffffffffff::t_9f8e7d6c5b4a32 has no session or prompt record',
      'git-ai note line 4: unknown attestation key "zz"',
      'git-ai note: src/x.rs line 6 is attested both as AI and as human; left unknown',
    ]);
    assert.deepEqual(r?.record.files.map((f) => [f.path, [...f.lines].map(([n, a]) => [n, a.cls])]), [['src/x.rs', [[7, 'human']]]]);
    const { traces } = exportTraces(repo, `${base}..HEAD`);
    assert.deepEqual(((traces[1].metadata as Json)['ai-provenance'] as Json).problems, r?.problems);
  });

  it('git-ai notes of another version, or not git-ai\'s format, give no lines and say why', () => {
    const cases: Array<[string, string]> = [
      ['src/a.rs\n  h_31dce776f88375 1\n', 'git-ai note: no "---" line before the metadata'],
      ['src/a.rs\n---\nnot json\n', 'git-ai note: the metadata is not JSON'],
      ['src/a.rs\n---\n{"schema_version":"authorship/2.0.0","base_commit_sha":"x","prompts":{}}\n', 'git-ai note: schema_version "authorship/2.0.0" is not supported (authorship/3.0.0 is)'],
      ['src/a.rs\n---\n{"schema_version":"authorship/3.0.0","prompts":{}}\n', 'git-ai note: no base_commit_sha'],
      ['src/a.rs\n---\n{"schema_version":"authorship/3.0.0","base_commit_sha":"x"}\n', 'git-ai note: no prompts object'],
    ];
    for (const [text, problem] of cases) {
      const r = parseGitAiNote(text);
      assert.deepEqual(r.problems, [problem]);
      assert.deepEqual(r.record.files, []);
    }
  });

  it('export: bad input is exit 2 with one line', async () => {
    await history();
    for (const args of [['export', 'HEAD'], ['export', '--format', 'csv', 'HEAD'], ['export', '--format', 'agent-trace'], ['export', '--format', 'agent-trace', 'no..such']]) {
      assertUsageError(cli(repo.dir, args), args.join(' '));
    }
  });
});
