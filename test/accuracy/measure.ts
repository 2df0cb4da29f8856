// The verdict: each scenario's saved files, the extension's per-line classes
// (its ledger) against the oracle's, per scenario and per channel.
import fs from 'node:fs';
import path from 'node:path';
import type { FixtureRpc } from '../../tools/harness/fixture';
import { type Ledger, readLedger } from '../../tools/harness/repo';
import { type Log, waitFor } from '../../tools/harness/wait';
import { BASE_FILES } from './corpus';
import { type Cls, type LabelRecord, hashLine, lineClasses, splitLines } from './oracle';

export interface Saved { ledger: Ledger | undefined; disk: string }
export interface ScenarioResult { name: string; channel: string; problems: string[]; saved: Map<string, Saved>; ms: number }
/** `scenarios` run and `passed` (every measured line right, nothing AI on an unchanged line, no problem). */
interface Counts { lines: number; correct: number; falseAi: number; missedAi: number; aiOnUnchanged: number; scenarios: number; passed: number }
export interface Row extends Counts { scenario: string; channel: string; problems: string[] }
export interface Detail { scenario: string; rel: string; line: number; oracle: string; ext: string; text: string; ev: string }

/**
 * Saves the files and waits until each one's ledger describes the saved text
 * (its line hashes match the file on disk) and was written after the save.
 */
export async function saveAndCollect(rpc: FixtureRpc, repo: string, files: Set<string>, log: Log): Promise<Map<string, Saved>> {
  const t = Date.now();
  await rpc.call('save', { paths: [...files] });
  const out = new Map<string, Saved>();
  for (const rel of files) {
    const disk = fs.readFileSync(path.join(repo, rel), 'utf8');
    const hashes = splitLines(disk).map(hashLine);
    const matches = (l: Ledger | undefined): l is Ledger => !!l && l.lines.length === hashes.length && l.lines.every((h, i) => h === hashes[i]);
    let ledger: Ledger | undefined;
    try {
      ledger = await waitFor(`the ledger of ${rel}`, () => { const l = readLedger(repo, rel); return matches(l) && l.savedAt >= t - 5 ? l : null; }, { timeout: 10_000, interval: 50 });
    } catch {
      const l = readLedger(repo, rel);
      // not re-saved (nothing dirty) but still describing the text: use it
      ledger = matches(l) ? l : undefined;
      log(`  ${rel}: ${ledger ? 'ledger not rewritten after this save, but it matches the text' : l ? 'ledger does not match the saved text' : 'no ledger written'}`);
    }
    out.set(rel, { ledger, disk });
  }
  return out;
}

export const CLS_NAMES: Record<string, string> = { a: 'ai', m: 'mixed', h: 'human', u: 'unknown', '.': 'unchanged' };
const isAi = (c: string): boolean => c === 'a' || c === 'm';

function evOf(ledger: Ledger, line: number): string {
  const segs = ledger.segs.filter((s) => s[0] === line);
  const evs = [...new Set(segs.map((s) => s[3]))].map((i) => ledger.ev[i]).filter((e) => !!e);
  return evs.map((e) => `${e!.origin}/${e!.confidence}: ${e!.detail}`).join(' | ');
}

/** Compares every saved file of every scenario, line by line, with the oracle's replayed document. */
export function compare(results: ScenarioResult[], oracleDocs: Map<string, { text: string; cls: Cls[] }>, uriOf: (rel: string) => string): { rows: Row[]; details: Detail[] } {
  const rows: Row[] = [];
  const details: Detail[] = [];
  for (const r of results) {
    const row: Row = { scenario: r.name, channel: r.channel, ...zero(), scenarios: 1, problems: [...r.problems] };
    for (const [rel, { ledger, disk }] of r.saved) {
      const od = oracleDocs.get(uriOf(rel));
      const base = BASE_FILES[rel] ?? '';
      const oText = od ? od.text : base;
      const oCls = od ? lineClasses(od.text, od.cls) : lineClasses(base, new Array<Cls>(base.length).fill(null));
      if (oText !== disk) { row.problems.push(`${rel}: the oracle's replayed text differs from the saved file`); continue; }
      if (!ledger) row.problems.push(`${rel}: no ledger matching the saved text`);
      const ext = ledger ? ledger.classes : '.'.repeat(splitLines(disk).length);
      const lines = splitLines(disk);
      for (let i = 0; i < lines.length; i++) {
        const o = oCls[i];
        const x = ext[i] ?? '.';
        const detail = (): Detail => ({ scenario: r.name, rel, line: i + 1, oracle: o, ext: x, text: lines[i], ev: ledger ? evOf(ledger, i) : '' });
        if (o === '.') {
          if (isAi(x)) { row.aiOnUnchanged++; details.push(detail()); }
          continue;
        }
        row.lines++;
        if (o === x) row.correct++;
        else details.push(detail());
        if (!isAi(o) && isAi(x)) row.falseAi++;
        if (isAi(o) && !isAi(x)) row.missedAi++;
      }
    }
    row.passed = row.problems.length === 0 && row.correct === row.lines && row.aiOnUnchanged === 0 ? 1 : 0;
    rows.push(row);
  }
  return { rows, details };
}

export function pct(a: number, b: number): string {
  return b === 0 ? '100.0' : ((100 * a) / b).toFixed(1);
}

const COUNT_KEYS = ['lines', 'correct', 'falseAi', 'missedAi', 'aiOnUnchanged', 'scenarios', 'passed'] as const;
const zero = (): Counts => ({ lines: 0, correct: 0, falseAi: 0, missedAi: 0, aiOnUnchanged: 0, scenarios: 0, passed: 0 });
function add(to: Counts, r: Counts): void { for (const k of COUNT_KEYS) to[k] += r[k]; }

/**
 * The per-scenario table, then the per-channel one with the total. Beside the
 * per-line figures, how many scenarios passed: bulk generated lines must not
 * hide a scenario that fails on a few.
 */
export function printTable(rows: Row[]): { text: string; total: Counts } {
  const byChannel = new Map<string, Counts & { channel: string }>();
  for (const r of rows) {
    const c = byChannel.get(r.channel) ?? { channel: r.channel, ...zero() };
    add(c, r);
    byChannel.set(r.channel, c);
  }
  const out: string[] = [];
  const head = ['', 'passed', 'lines', 'correct', 'false-ai', 'missed-ai', 'ai-on-unchanged'];
  const fmt = (name: string, r: Counts): string[] => [name, `${r.passed}/${r.scenarios}`, String(r.lines), `${r.correct} (${pct(r.correct, r.lines)}%)`, String(r.falseAi), String(r.missedAi), String(r.aiOnUnchanged)];
  const table = <T extends Counts>(title: string, items: T[], nameOf: (r: T) => string): ((cells: string[]) => string) => {
    const body = items.map((r) => fmt(nameOf(r), r));
    const w = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length), i === 0 ? title.length : 0));
    const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ');
    out.push(line([title, ...head.slice(1)]));
    out.push(w.map((n) => '-'.repeat(n)).join('  '));
    for (const b of body) out.push(line(b));
    return line;
  };
  table('scenario', rows, (r) => `${r.scenario} [${r.channel}]`);
  out.push('');
  const total = zero();
  for (const r of rows) add(total, r);
  const line = table('channel', [...byChannel.values()], (r) => r.channel);
  out.push(line(fmt('total', total)));
  return { text: out.join('\n'), total };
}

/** The detailedReason labels seen, with how the oracle maps each, and the scenarios they came from. */
export function printLabels(labels: Map<string, LabelRecord>, scenarioOf: (uri: string) => string | undefined): void {
  console.log('detailedReason labels seen (count, oracle mapping, example change shape):');
  for (const [label, rec] of [...labels.entries()].sort((a, b) => b[1].count - a[1].count)) {
    const scen = [...new Set([...rec.uris].map(scenarioOf).filter(Boolean))];
    const ex = rec.example?.[0] ? ` e.g. offset=${rec.example[0].rangeOffset} len=${rec.example[0].rangeLength} text=${rec.example[0].textLength}` : '';
    const how = rec.how === 'replace' || rec.how === 'remap' ? `${CLS_NAMES[rec.cls ?? '.']}${rec.how === 'remap' ? ' (diff-remapped)' : ''}` : rec.how;
    console.log(`  ${String(rec.count).padStart(5)}  ${label}  →  ${how}${rec.unmapped ? '  (UNMAPPED)' : ''}${ex}  [${scen.join(', ')}]`);
  }
}

/** The misclassified lines, per scenario (the first 15 of each unless `all`). */
export function printDetails(details: Detail[], all: boolean): void {
  const byScenario = new Map<string, Detail[]>();
  for (const d of details) byScenario.set(d.scenario, [...(byScenario.get(d.scenario) ?? []), d]);
  if (details.length) console.log('misclassified lines (oracle → extension):');
  for (const [s, list] of byScenario) {
    console.log(`  ${s}: ${list.length}`);
    for (const d of (all ? list : list.slice(0, 15))) {
      console.log(`    ${d.rel}:${d.line}  ${CLS_NAMES[d.oracle]} → ${CLS_NAMES[d.ext]}  ${JSON.stringify(d.text.slice(0, 70))}${d.ev ? `  [${d.ev.slice(0, 160)}]` : ''}`);
    }
    if (!all && list.length > 15) console.log(`    … ${list.length - 15} more (ACCURACY_DETAILS=1)`);
  }
}
