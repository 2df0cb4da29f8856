import { strict as assert } from 'node:assert';
import { formatTrailerValue } from '../../src/core/trailer';
import { isBinary, parseCatFileBatch, parseRawDiff, stagedAttribution } from '../../src/node/commit/staged';
import type { TempRepo} from './helpers/gitRepo';
import { ev, writeTracked, useTempRepo } from './helpers/gitRepo';

const SHA_A = 'a'.repeat(40);
const SHA_B = 'b'.repeat(40);
const ZERO = '0'.repeat(40);

function raw(...fields: Array<string | Buffer>): Buffer {
  return Buffer.concat(fields.flatMap((f) => [typeof f === 'string' ? Buffer.from(f, 'utf8') : f, Buffer.from([0])]));
}

describe('commit: raw diff parser', () => {
  it('parses an empty diff', () => {
    assert.deepEqual(parseRawDiff(Buffer.alloc(0)), []);
  });

  it('parses add, modify, delete, type change, rename and copy records', () => {
    const out = raw(
      `:000000 100644 ${ZERO} ${SHA_A} A`,
      'new.txt',
      `:100644 100755 ${SHA_A} ${SHA_B} M`,
      'dir/mod.sh',
      `:100644 000000 ${SHA_A} ${ZERO} D`,
      'gone.txt',
      `:120000 100644 ${SHA_A} ${SHA_B} T`,
      'link',
      `:100644 100644 ${SHA_A} ${SHA_B} R086`,
      'old name.txt',
      'new name.txt',
      `:100644 100644 ${SHA_A} ${SHA_A} C100`,
      'src.c',
      'copy.c',
    );
    const e = parseRawDiff(out);
    assert.deepEqual(
      e.map((x) => [x.status, x.oldPath, x.path, x.oldMode, x.newMode]),
      [
        ['A', 'new.txt', 'new.txt', '000000', '100644'],
        ['M', 'dir/mod.sh', 'dir/mod.sh', '100644', '100755'],
        ['D', 'gone.txt', 'gone.txt', '100644', '000000'],
        ['T', 'link', 'link', '120000', '100644'],
        ['R', 'old name.txt', 'new name.txt', '100644', '100644'],
        ['C', 'src.c', 'copy.c', '100644', '100644'],
      ],
    );
    assert.equal(e[1].oldSha, SHA_A);
    assert.equal(e[1].newSha, SHA_B);
  });

  it('keeps names with spaces, quotes, tabs, newlines, colons and non-UTF-8 bytes whole', () => {
    const weird = ['a "quoted" name.txt', "it's\there", 'line\nbreak', ':100644 looks like a header'];
    const latin1 = Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x2e, 0x74, 0x78, 0x74]); // "café.txt" in latin1
    const out = raw(...weird.flatMap((n) => [`:000000 100644 ${ZERO} ${SHA_A} A`, n]), `:000000 100644 ${ZERO} ${SHA_A} A`, latin1);
    const e = parseRawDiff(out);
    assert.deepEqual(e.slice(0, 4).map((x) => x.path), weird);
    assert.equal(e[4].path, 'caf\ufffd.txt');
  });

  it('accepts output without a final NUL', () => {
    const out = Buffer.concat([raw(`:000000 100644 ${ZERO} ${SHA_A} A`), Buffer.from('x')]);
    assert.deepEqual(parseRawDiff(out).map((x) => x.path), ['x']);
  });

  it('rejects records that are not raw diff output', () => {
    assert.throws(() => parseRawDiff(raw('diff --git a/x b/x')), /unexpected raw diff record/);
    assert.throws(() => parseRawDiff(raw(`:100644 100644 ${SHA_A} ${SHA_B} R100`, 'only-old')), /truncated/);
    assert.throws(() => parseRawDiff(raw(`:000000 100644 ${ZERO} ${SHA_A} A`)), /truncated/);
  });
});

describe('commit: cat-file --batch framing', () => {
  it('cuts contents by byte count, whatever bytes they hold', () => {
    const c1 = Buffer.from('line 1\nline 2\n\n'); // ends in newlines
    const c2 = Buffer.from([0, 10, 10, 0x62, 0x6c, 0x6f, 0x62, 0x20, 0x31, 0x20, 0x33, 10]); // NULs and a fake header inside
    const c3 = Buffer.alloc(0);
    const out = Buffer.concat([
      Buffer.from(`${SHA_A} blob ${c1.length}\n`),
      c1,
      Buffer.from('\n'),
      Buffer.from(`${SHA_B} blob ${c2.length}\n`),
      c2,
      Buffer.from('\n'),
      Buffer.from(`${ZERO} missing\n`),
      Buffer.from(`${SHA_A} blob 0\n`),
      c3,
      Buffer.from('\n'),
    ]);
    const objs = parseCatFileBatch(out);
    assert.equal(objs.length, 4);
    assert.deepEqual(objs[0].content, c1);
    assert.deepEqual(objs[1].content, c2);
    assert.equal(objs[2].type, 'missing');
    assert.equal(objs[2].content, undefined);
    assert.deepEqual(objs[3].content, c3);
  });

  it('rejects truncated output and bad headers', () => {
    assert.throws(() => parseCatFileBatch(Buffer.from(`${SHA_A} blob 10\nshort\n`)), /truncated/);
    assert.throws(() => parseCatFileBatch(Buffer.from(`${SHA_A} blob 3\nabcX`)), /truncated/);
    assert.throws(() => parseCatFileBatch(Buffer.from(`${SHA_A} blob`)), /truncated cat-file header/);
    assert.throws(() => parseCatFileBatch(Buffer.from(`${SHA_A} blob x\n`)), /unexpected cat-file header/);
  });

  it('calls a blob binary only for a NUL in its first 8000 bytes', () => {
    assert.equal(isBinary(Buffer.from('plain text\n')), false);
    assert.equal(isBinary(Buffer.from([0x61, 0, 0x62])), true);
    const late = Buffer.alloc(9000, 0x61);
    late[8500] = 0;
    assert.equal(isBinary(late), false);
  });
});

describe('commit: stagedAttribution against a real repository', () => {
  let repo!: TempRepo;
  useTempRepo((r) => (repo = r));

  it('counts typed, AI-completion and AI-paste lines of a first commit (no HEAD)', async () => {
    await writeTracked(repo, 'a.ts', [
      ['const a = 1;', ev('typed')],
      ['const b = 2;', ev('ai-completion')],
      ['', null],
      ['const c = 3;', ev('ai-paste')],
    ]);
    repo.ok(['add', '.']);
    const { total, files } = await stagedAttribution(repo.paths);
    assert.equal(formatTrailerValue(total), 'v=1 lines=3 ai=2 mixed=0 human=1 unknown=0 ai-completion=1 ai-paste=1');
    assert.deepEqual(files.map((f) => f.path), ['a.ts']);
  });

  it('counts against a given base (what --amend uses)', async () => {
    await writeTracked(repo, 'a.ts', [['one', ev('typed')]]);
    repo.ok(['add', '.']);
    repo.ok(['commit', '-q', '-m', 'first']);
    await writeTracked(repo, 'a.ts', [
      ['one', ev('typed')],
      ['two', ev('ai-chat')],
    ]);
    repo.ok(['add', '.']);
    assert.equal(formatTrailerValue((await stagedAttribution(repo.paths)).total), 'v=1 lines=1 ai=1 mixed=0 human=0 unknown=0 ai-chat=1');
    const all = await stagedAttribution(repo.paths, { base: '4b825dc642cb6eb9a060e54bf8d69288fbee4904' });
    assert.equal(formatTrailerValue(all.total), 'v=1 lines=2 ai=1 mixed=0 human=1 unknown=0 ai-chat=1');
  });

  it('reports nothing for an empty index', async () => {
    const { total, files } = await stagedAttribution(repo.paths);
    assert.equal(formatTrailerValue(total), 'v=1 lines=0 ai=0 mixed=0 human=0 unknown=0');
    assert.deepEqual(files, []);
  });

  it('skips symlinks and counts a symlink that became a file as new', async function () {
    if (process.platform === 'win32') this.skip();
    repo.ok(['config', 'core.symlinks', 'true']);
    const { symlinkSync, rmSync } = await import('node:fs');
    symlinkSync('target.txt', `${repo.dir}/link`);
    repo.ok(['add', '.']);
    assert.equal((await stagedAttribution(repo.paths)).files.length, 0);
    repo.ok(['commit', '-q', '-m', 'link']);
    rmSync(`${repo.dir}/link`);
    await repo.write('link', 'now a file\nwith two lines\n');
    repo.ok(['add', '.']);
    const { total, files } = await stagedAttribution(repo.paths);
    assert.deepEqual(files.map((f) => f.path), ['link']);
    assert.equal(total.lines, 2);
    assert.equal(total.unknown, 2);
  });
});
