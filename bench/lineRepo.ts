import { mkdtempSync, realpathSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { formatRecord, recordCounts, recordOf } from '../src/core/record';
import type { FileRecord, LineAttr } from '../src/core/record';
import { formatTrailerValue, TRAILER_KEY } from '../src/core/trailer';
import { writeRecords } from '../src/node/record/notes';
import { rng } from '../test/support/rng';
import { timedRun } from './support';

/**
 * A benchmark history with line-level records (fixed seed): `commits`
 * commits over `files` files, each commit replacing or inserting lines in
 * one or two files; every commit has its record (as the hooks would have
 * written it: the lines it adds, ai/mixed/human/unknown, some reviewed) and
 * the trailer derived from it. Built with one `git fast-import` and one
 * notes write, so setting up 500 commits takes seconds.
 */
export interface LineRepo {
  readonly dir: string;
  /** Commit SHAs, oldest first (the first is the root, which adds every file). */
  readonly shas: string[];
}

const ATTRS: readonly LineAttr[] = [
  { cls: 'ai', origin: 'ai-completion', conf: 'certain' },
  { cls: 'ai', origin: 'ai-chat', conf: 'certain', tool: 'claude-code', model: 'claude-opus-4-5' },
  { cls: 'ai', origin: 'ai-chat', conf: 'certain', tool: 'claude-code', review: { by: 'Ann Lee <ann@example.com>', at: 1_700_000_000_000 } },
  { cls: 'mixed', origin: 'ai-paste', conf: 'certain' },
  { cls: 'human' },
  { cls: 'human' },
  { cls: 'unknown' },
];

function data(s: string): string {
  return `data ${Buffer.byteLength(s)}\n${s}\n`;
}

/**
 * `linesPerFile` is the size at the end: the files start smaller by the
 * lines the commits are expected to insert (`insertShare` of the changes).
 */
export function buildLineRepo(opts: { files: number; linesPerFile: number; commits: number; seed: number; changesPerCommit: number; insertShare: number }): Promise<LineRepo> {
  const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'aip-lines-bench-')));
  timedRun('git', ['init', '-q', '-b', 'main'], dir);
  const rand = rng(opts.seed);
  const texts: string[][] = [];
  const start = Math.round(opts.linesPerFile - ((opts.commits - 1) * opts.changesPerCommit * opts.insertShare) / opts.files);
  for (let f = 0; f < opts.files; f++) texts.push(Array.from({ length: start }, (_, i) => `  const v${f}_${i} = ${Math.floor(rand() * 1e9)};`));
  const name = (f: number): string => (opts.files === 1 ? 'big.ts' : `src/file ${f}.ts`);
  const stream: string[] = [];
  const records: Array<Map<string, Map<number, LineAttr>>> = [];
  for (let c = 0; c < opts.commits; c++) {
    const touched = new Map<number, Map<number, LineAttr>>();
    if (c === 0) for (let f = 0; f < opts.files; f++) touched.set(f, new Map(texts[f].map((_, i) => [i + 1, ATTRS[6]])));
    else {
      for (let k = 0; k < opts.changesPerCommit; k++) {
        const f = Math.floor(rand() * opts.files);
        const lines = texts[f];
        const at = Math.floor(rand() * lines.length);
        const text = `  const c${c}_${k} = ${Math.floor(rand() * 1e9)};`;
        const m = touched.get(f) ?? new Map<number, LineAttr>();
        if (rand() >= opts.insertShare) lines[at] = text;
        else {
          lines.splice(at, 0, text);
          // Lines this commit added below move down by one.
          for (const n of [...m.keys()].sort((a, b) => b - a)) {
            if (n <= at) continue;
            m.set(n + 1, m.get(n) as LineAttr);
            m.delete(n);
          }
        }
        m.set(at + 1, ATTRS[Math.floor(rand() * ATTRS.length)]);
        touched.set(f, m);
      }
    }
    const rec = recordOf([...touched].map(([f, lines]): FileRecord => ({ path: name(f), lines })));
    records.push(new Map([...touched].map(([f, lines]) => [name(f), lines])));
    const msg = `commit ${c}\n\n${TRAILER_KEY}: ${formatTrailerValue(recordCounts(rec))}\n`;
    stream.push(`commit refs/heads/main\nmark :${c + 1}\ncommitter Bench <bench@example.com> ${1_700_000_000 + c} +0000\n${data(msg)}`);
    if (c > 0) stream.push(`from :${c}\n`);
    for (const f of touched.keys()) stream.push(`M 100644 inline "${name(f)}"\n${data(`${texts[f].join('\n')}\n`)}`);
  }
  const marks = path.join(dir, '.git', 'bench-marks');
  timedRun('git', ['fast-import', '--quiet', `--export-marks=${marks}`], dir, { input: `${stream.join('')}done\n` });
  timedRun('git', ['checkout', '-q', '-f', 'main'], dir);
  const byMark = new Map(readFileSync(marks, 'utf8').trim().split('\n').map((l) => l.split(' ') as [string, string]));
  const shas = records.map((_, c) => byMark.get(`:${c + 1}`) as string);
  const notes = new Map(shas.map((sha, c) => [sha, formatRecord(recordOf([...records[c]].map(([p, lines]) => ({ path: p, lines }))))]));
  return writeRecords(notes, { cwd: dir, timeoutMs: 120_000 }).then(() => ({ dir, shas }));
}
