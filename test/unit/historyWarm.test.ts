import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { nextWarm, WARM_BOUNDS } from '../../src/core/historyWarm';
import type { WarmState } from '../../src/core/historyWarm';
import { atLowPriority, findRepo, git, LOWEST_PRIORITY } from '../../src/node/git/git';
import { FileHistory } from '../../src/node/report/fileHistory';
import { blameFile } from '../../src/node/report/lines';
import { writeRecords } from '../../src/node/record/notes';
import { formatRecord, recordOf } from '../../src/core/record';
import type { LineAttr } from '../../src/core/record';
import { run, useTempRepo } from './helpers/gitRepo';
import type { TempRepo } from './helpers/gitRepo';

const BASE: WarmState = { enabled: true, candidates: ['a', 'b'], active: 'a', running: false, lastActivity: 0, started: [], generation: 1, warmedAt: new Map() };
const NOW = 100_000;

describe('history warm policy: which file, when', () => {
  it('warms the active file once the window has been idle, not before', () => {
    assert.deepEqual(nextWarm({ ...BASE, lastActivity: NOW - 1000 }, NOW), { kind: 'wait', ms: WARM_BOUNDS.idleMs - 1000 });
    assert.deepEqual(nextWarm(BASE, NOW), { kind: 'warm', file: 'a' });
  });

  it('one at a time, nothing when turned off or when every file is current', () => {
    assert.deepEqual(nextWarm({ ...BASE, running: true }, NOW), { kind: 'none' });
    assert.deepEqual(nextWarm({ ...BASE, enabled: false }, NOW), { kind: 'none' });
    assert.deepEqual(nextWarm({ ...BASE, warmedAt: new Map([['a', 1]]) }, NOW), { kind: 'none' });
  });

  it('a visible file that is not active is warmed only to carry its cache forward after HEAD or the notes moved', () => {
    // b never warmed: left alone (only the active file gets a first, full warm).
    assert.deepEqual(nextWarm({ ...BASE, warmedAt: new Map([['a', 1]]) }, NOW), { kind: 'none' });
    // HEAD moved (generation 2): the active file first, then b.
    assert.deepEqual(nextWarm({ ...BASE, warmedAt: new Map([['a', 1], ['b', 1]]), generation: 2 }, NOW), { kind: 'warm', file: 'a' });
    assert.deepEqual(nextWarm({ ...BASE, warmedAt: new Map([['a', 2], ['b', 1]]), generation: 2 }, NOW), { kind: 'warm', file: 'b' });
    assert.deepEqual(nextWarm({ ...BASE, warmedAt: new Map([['a', 2], ['b', 2]]), generation: 2 }, NOW), { kind: 'none' });
    assert.deepEqual(nextWarm({ ...BASE, active: undefined, candidates: ['b'] }, NOW), { kind: 'none' });
  });

  it('at most perMinute starts in any minute: waits until the oldest leaves the window', () => {
    const started = [NOW - 50_000, NOW - 40_000, NOW - 30_000, NOW - 20_000, NOW - 10_000, NOW - 5000];
    assert.deepEqual(nextWarm({ ...BASE, started }, NOW), { kind: 'wait', ms: 10_000 });
    assert.deepEqual(nextWarm({ ...BASE, started: started.slice(1) }, NOW), { kind: 'warm', file: 'a' });
    assert.deepEqual(nextWarm({ ...BASE, started: [NOW - 70_000, ...started.slice(1)] }, NOW), { kind: 'warm', file: 'a' });
  });
});

describe('history warm, node side (real repositories)', function () {
  this.timeout(60_000);
  let repo!: TempRepo;
  useTempRepo((r) => (repo = r));
  const AI: LineAttr = { cls: 'ai', origin: 'ai-completion', conf: 'certain' };

  async function commit(rel: string, lines: readonly string[], record = true): Promise<string> {
    await repo.write(rel, `${lines.join('\n')}\n`);
    repo.ok(['add', '-A']);
    repo.ok(['commit', '-q', '-m', `edit ${rel}`]);
    const sha = repo.ok(['rev-parse', 'HEAD']).trim();
    if (record) await writeRecords(new Map([[sha, formatRecord(recordOf([{ path: rel, lines: new Map(lines.map((_, i): [number, LineAttr] => [i + 1, AI])) }]))]]), { cwd: repo.dir });
    return sha;
  }

  async function history(): Promise<FileHistory> {
    const paths = await findRepo(repo.dir);
    assert.ok(paths);
    return new FileHistory(paths);
  }

  it('leaves alone a repository without records, a file not at HEAD and a file over the size bound', async () => {
    await commit('a.ts', ['one()', 'two()'], false);
    assert.equal(await (await history()).warm('a.ts', WARM_BOUNDS.maxBytes), 'no-records');
    await commit('b.ts', ['ai()']);
    const h = await history();
    await repo.write('new.ts', 'x\n');
    assert.equal(await h.warm('new.ts', WARM_BOUNDS.maxBytes), 'untracked');
    assert.equal(await h.warm('b.ts', 3), 'too-large');
  });

  it('computes HEAD\'s history into the cache (then current: memory), and carries it forward after a commit; answers equal a fresh blame', async () => {
    await commit('b.ts', ['ai1()', 'ai2()']);
    const h = await history();
    assert.equal(await h.warm('b.ts', WARM_BOUNDS.maxBytes), 'full');
    assert.equal(await h.warm('b.ts', WARM_BOUNDS.maxBytes), 'memory');
    await commit('b.ts', ['ai1()', 'ai3()', 'ai2()']);
    assert.equal(await h.warm('b.ts', WARM_BOUNDS.maxBytes), 'range');
    const got = await h.lines('b.ts');
    assert.equal(got.how, 'memory');
    assert.deepEqual(got.lines, (await blameFile(repo.dir, 'b.ts', {})).lines);
    await h.flush();
  });

  it('its git processes run at the lowest CPU priority; others at the normal one', async () => {
    const shim = mkdtempSync(path.join(os.tmpdir(), 'git-nice-'));
    const saved = process.env.PATH;
    try {
      const real = run('sh', ['-c', 'command -v git'], repo.dir).stdout.trim();
      const log = path.join(shim, 'nice.log');
      // The shim waits a moment (the priority is set right after the start), then logs its niceness and runs git.
      writeFileSync(path.join(shim, 'git'), `#!/bin/sh\nsleep 0.2\nps -o ni= -p $$ | tr -d ' ' >> '${log}'\nexec '${real}' "$@"\n`, { mode: 0o755 });
      writeFileSync(log, '');
      process.env.PATH = `${shim}${path.delimiter}${saved ?? ''}`;
      await git(['--version'], { cwd: repo.dir });
      await atLowPriority(() => git(['--version'], { cwd: repo.dir }));
      const nices = readFileSync(log, 'utf8').split('\n').filter((l) => l !== '');
      assert.deepEqual(nices, [String(os.getPriority()), String(LOWEST_PRIORITY)]);
    } finally {
      process.env.PATH = saved;
      rmSync(shim, { recursive: true, force: true });
    }
  });
});
