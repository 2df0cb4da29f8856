import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, promises as fs, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildFileLedger } from '../../src/core/ledger';
import type { Evidence } from '../../src/core/origin';
import { awaitEditorSaves, clearSaving, clearStaleSaves, ledgerFile, markSaving, moveLedgerEntries, readFileLedger, SAVE_MARK_FRESH_MS, writeFileLedger } from '../../src/node/git/ledgerStore';

const AI: Evidence = { origin: 'ai-chat', confidence: 'likely', detail: 'x', at: 1 };
const entry = (p: string): ReturnType<typeof buildFileLedger> => buildFileLedger(p, 'one\ntwo\n', [{ len: 8, ev: AI }], 5);

describe('ledger store', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'aip-store-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes atomically and reads back; a missing entry is undefined', async () => {
    await writeFileLedger(dir, entry('src/a.ts'));
    const back = await readFileLedger(dir, 'src/a.ts');
    assert.equal(back?.classes, 'aa.');
    assert.equal(await readFileLedger(dir, 'src/b.ts'), undefined);
    const leftovers = (await fs.readdir(path.dirname(ledgerFile(dir, 'x')))).filter((f) => f.endsWith('.tmp'));
    assert.deepEqual(leftovers, []);
  });

  it('treats a corrupt entry as missing', async () => {
    await writeFileLedger(dir, entry('a'));
    await fs.writeFile(ledgerFile(dir, 'a'), '{"v":1,');
    assert.equal(await readFileLedger(dir, 'a'), undefined);
  });

  it('moves the entry of a renamed file', async () => {
    await writeFileLedger(dir, entry('src/a.ts'));
    assert.equal(await moveLedgerEntries(dir, 'src/a.ts', dir, 'lib/b.ts'), 1);
    assert.equal(await readFileLedger(dir, 'src/a.ts'), undefined);
    assert.equal((await readFileLedger(dir, 'lib/b.ts'))?.path, 'lib/b.ts');
  });

  it('moves every entry under a renamed folder, and nothing else', async () => {
    for (const p of ['src/a.ts', 'src/deep/b.ts', 'srcx/c.ts', 'other.ts']) await writeFileLedger(dir, entry(p));
    assert.equal(await moveLedgerEntries(dir, 'src', dir, 'lib'), 2);
    assert.ok(await readFileLedger(dir, 'lib/a.ts'));
    assert.ok(await readFileLedger(dir, 'lib/deep/b.ts'));
    assert.ok(await readFileLedger(dir, 'srcx/c.ts'), 'a sibling with the same prefix stays');
    assert.ok(await readFileLedger(dir, 'other.ts'));
  });

  it('moves an entry between stores (into a repository from outside git)', async () => {
    const other = mkdtempSync(path.join(os.tmpdir(), 'aip-store2-'));
    try {
      await writeFileLedger(dir, entry('/home/me/notes.md'));
      assert.equal(await moveLedgerEntries(dir, '/home/me/notes.md', other, 'docs/notes.md'), 1);
      assert.ok(await readFileLedger(other, 'docs/notes.md'));
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  describe('saves in flight (the editor\'s mark, the hook\'s wait)', () => {
    const later = (ms: number): number => Date.now() + ms;
    const markDir = (): string => path.join(dir, 'v1', 'saving');

    it('answers at once when nothing is being saved: no mark folder, or an empty one', async () => {
      assert.equal(await awaitEditorSaves(dir, ['a.ts'], later(60_000)), 0);
      markSaving(dir, 'a.ts', Date.now());
      clearSaving(dir, 'a.ts');
      clearSaving(dir, 'a.ts'); // a mark already gone is fine
      assert.deepEqual(await fs.readdir(markDir()), []);
      assert.equal(await awaitEditorSaves(dir, ['a.ts'], later(60_000)), 0);
    });

    it('waits for the ledger of a marked file, and returns once it is written for that save', async () => {
      await writeFileLedger(dir, { ...entry('src/a.ts'), savedAt: Date.now() - 5_000 });
      await new Promise((resolve) => setTimeout(resolve, 50)); // the file system's clock is coarser than Date.now()
      const at = Date.now();
      markSaving(dir, 'src/a.ts', at);
      const written = new Promise<void>((resolve) => setTimeout(() => void writeFileLedger(dir, { ...entry('src/a.ts'), savedAt: at + 1 }).then(resolve), 300));
      const t0 = Date.now();
      assert.equal(await awaitEditorSaves(dir, ['src/a.ts', 'other.ts'], later(60_000)), 0);
      await written;
      assert.ok(Date.now() - t0 >= 250, 'it waited for the write');
      assert.equal((await readFileLedger(dir, 'src/a.ts'))?.savedAt, at + 1);
    });

    it('returns once the mark is taken away, ledger or not (the editor wrote none for that save)', async () => {
      markSaving(dir, 'b.ts', Date.now());
      setTimeout(() => clearSaving(dir, 'b.ts'), 200);
      assert.equal(await awaitEditorSaves(dir, ['b.ts'], later(60_000)), 0);
      assert.equal(existsSync(path.join(markDir(), path.basename(ledgerFile(dir, 'b.ts'), '.json'))), false);
    });

    it('gives up at the time given, and says how many saves were still in flight', async () => {
      markSaving(dir, 'c.ts', Date.now());
      markSaving(dir, 'd.ts', Date.now());
      assert.equal(await awaitEditorSaves(dir, ['c.ts', 'd.ts', 'e.ts'], later(100)), 2);
    });

    it('does not wait for a mark that is left over, from the future, unreadable, or not a regular file', async () => {
      markSaving(dir, 'old.ts', Date.now() - SAVE_MARK_FRESH_MS - 1);
      markSaving(dir, 'future.ts', Date.now() + 60_000);
      markSaving(dir, 'junk.ts', Date.now());
      await fs.writeFile(path.join(markDir(), path.basename(ledgerFile(dir, 'junk.ts'), '.json')), 'soon');
      execFileSync('mkfifo', [path.join(markDir(), path.basename(ledgerFile(dir, 'fifo.ts'), '.json'))]);
      await fs.mkdir(path.join(markDir(), path.basename(ledgerFile(dir, 'dir.ts'), '.json')));
      // A wait would run into mocha's timeout: the time given is a minute away.
      assert.equal(await awaitEditorSaves(dir, ['old.ts', 'future.ts', 'junk.ts', 'fifo.ts', 'dir.ts'], later(60_000)), 0);
    });

    it('does not wait for a file whose ledger was written since its mark', async () => {
      markSaving(dir, 'f.ts', Date.now() - 1_000);
      await writeFileLedger(dir, entry('f.ts'));
      assert.equal(await awaitEditorSaves(dir, ['f.ts'], later(60_000)), 0);
    });

    it('never reads a mark bigger than a time, and leaves a temporary file alone', async () => {
      markSaving(dir, 'big.ts', Date.now());
      const big = path.join(markDir(), path.basename(ledgerFile(dir, 'big.ts'), '.json'));
      await fs.truncate(big, 1 << 30); // a sparse gigabyte: read whole, it would take seconds and the memory
      await fs.writeFile(path.join(markDir(), `${path.basename(ledgerFile(dir, 't.ts'), '.json')}.123.tmp`), String(Date.now()));
      assert.equal(await awaitEditorSaves(dir, ['big.ts', 't.ts'], later(60_000)), 0);
    });

    it('writes a mark afresh: a link planted at its temporary name is replaced, not followed', async () => {
      await fs.mkdir(markDir(), { recursive: true });
      const target = path.join(dir, 'elsewhere');
      await fs.writeFile(target, 'keep');
      const tmp = `${path.join(markDir(), path.basename(ledgerFile(dir, 'l.ts'), '.json'))}.${process.pid}.tmp`;
      await fs.symlink(target, tmp);
      markSaving(dir, 'l.ts', Date.now());
      assert.equal(await fs.readFile(target, 'utf8'), 'keep');
      assert.equal(await awaitEditorSaves(dir, ['l.ts'], later(100)), 1, 'the mark itself was written');
    });

    it('clears the marks left over, and keeps fresh ones (another window\'s save in flight)', async () => {
      markSaving(dir, 'fresh.ts', Date.now());
      markSaving(dir, 'old.ts', Date.now() - SAVE_MARK_FRESH_MS - 1);
      markSaving(dir, 'junk.ts', Date.now());
      await fs.writeFile(path.join(markDir(), path.basename(ledgerFile(dir, 'junk.ts'), '.json')), 'x');
      assert.equal(clearStaleSaves(dir), 2);
      assert.deepEqual(await fs.readdir(markDir()), [path.basename(ledgerFile(dir, 'fresh.ts'), '.json')]);
      assert.equal(clearStaleSaves(path.join(dir, 'nowhere')), 0);
    });

    it('waits for nothing when the mark folder is not a folder', async () => {
      await fs.mkdir(path.join(dir, 'v1'), { recursive: true });
      execFileSync('mkfifo', [markDir()]);
      assert.equal(await awaitEditorSaves(dir, ['a.ts'], later(60_000)), 0);
    });
  });
});
