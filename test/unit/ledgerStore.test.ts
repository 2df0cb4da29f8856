import { strict as assert } from 'node:assert';
import { mkdtempSync, promises as fs, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildFileLedger } from '../../src/core/ledger';
import type { Evidence } from '../../src/core/origin';
import { ledgerFile, moveLedgerEntries, readFileLedger, writeFileLedger } from '../../src/node/git/ledgerStore';

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
});
