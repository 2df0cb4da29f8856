import { git, GitError } from '../git/git';
import { aiSharePercent, ASSISTED_BY_KEY, TRAILER_KEY, TRAILER_VERSION } from '../../core/trailer';
import { isOrigin } from '../../core/origin';
import { parseOptions, UsageError } from './args';

/**
 * `ai-provenance report`: reads the `AI-Provenance` trailers of a range of
 * commits, for reviewers and CI gates. Trailers are read as docs/trailer.md
 * tells readers to: `v` first, unknown tokens kept, anything that does not
 * parse reported as malformed rather than guessed at.
 */

export const REPORT_USAGE = 'usage: ai-provenance report <rev-range> [--json] [--fail-above <percent>] [--require-trailer]';

/** How the AI share is defined, in words; printed with every report. */
export const SHARE_DEFINITION = 'AI share = (ai + mixed) / lines, over commits with a readable trailer';

export interface ReportOptions {
  /** What `git log` gets: `main..HEAD`, `HEAD~5..`, a single rev (its history), or several. */
  readonly revs: readonly string[];
  readonly json: boolean;
  /** Fail (exit 1) when the total share is above this percentage. */
  readonly failAbove?: number;
  /** Fail (exit 1) when a non-merge commit has no readable trailer. */
  readonly requireTrailer: boolean;
}

export function parseReportArgs(args: readonly string[]): ReportOptions {
  const p = parseOptions(args, { flags: ['json', 'require-trailer'], values: ['fail-above'] }, REPORT_USAGE);
  if (p.positional.length === 0) throw new UsageError(`missing <rev-range>\n${REPORT_USAGE}`);
  for (const r of p.positional) if (r.trim() === '') throw new UsageError(`empty <rev-range>\n${REPORT_USAGE}`);
  let failAbove: number | undefined;
  const raw = p.values.get('fail-above');
  if (raw !== undefined) {
    const s = raw.trim().replace(/%$/, '');
    failAbove = /^\d+(\.\d+)?$/.test(s) ? Number(s) : NaN;
    if (!(failAbove >= 0 && failAbove <= 100)) throw new UsageError(`--fail-above needs a percentage from 0 to 100, not ${JSON.stringify(raw)}`);
  }
  return { revs: p.positional, json: p.flags.has('json'), failAbove, requireTrailer: p.flags.has('require-trailer') };
}

/** What a commit's trailer said, or why it could not be read. */
export type TrailerStatus = 'ok' | 'missing' | 'malformed' | 'unsupported-version';

/** The counts of a readable version 1 trailer. */
export interface TrailerCounts {
  lines: number;
  ai: number;
  mixed: number;
  human: number;
  unknown: number;
  /** Per-origin tokens (`ai-completion=2`). */
  origins: Record<string, number>;
  /** Tokens this reader does not know (later additive revisions, e.g. `reviewed=3`), kept as numbers. */
  extra: Record<string, number>;
}

export type TrailerReading =
  | { readonly status: 'ok'; readonly counts: TrailerCounts }
  | { readonly status: 'malformed'; readonly problem: string }
  | { readonly status: 'unsupported-version'; readonly version: number; readonly problem: string };

const TOKEN = /^([a-z][a-z0-9-]*)=(\d+)$/;
const CORE_KEYS = ['lines', 'ai', 'mixed', 'human', 'unknown'] as const;

/**
 * Reads one trailer value by the rules for readers in docs/trailer.md:
 * stricter than the writer's own parser, because a CI gate must not act on a
 * value it had to guess at.
 */
export function readTrailerValue(value: string): TrailerReading {
  const text = value.trim();
  if (text === '') return { status: 'malformed', problem: 'empty value' };
  const tokens = new Map<string, number>();
  const order: string[] = [];
  for (const tok of text.split(/\s+/)) {
    const m = TOKEN.exec(tok);
    if (!m) return { status: 'malformed', problem: `bad token ${JSON.stringify(tok.slice(0, 40))}` };
    const n = Number(m[2]);
    if (!Number.isSafeInteger(n)) return { status: 'malformed', problem: `count too large in ${m[1]}` };
    if (tokens.has(m[1])) return { status: 'malformed', problem: `${m[1]} given twice` };
    tokens.set(m[1], n);
    order.push(m[1]);
  }
  if (order[0] !== 'v') return { status: 'malformed', problem: 'does not start with v=' };
  const version = tokens.get('v') ?? 0;
  if (version !== TRAILER_VERSION) return { status: 'unsupported-version', version, problem: `unsupported version v=${version}` };
  for (const k of CORE_KEYS) if (!tokens.has(k)) return { status: 'malformed', problem: `no ${k}=` };
  const counts: TrailerCounts = { lines: 0, ai: 0, mixed: 0, human: 0, unknown: 0, origins: {}, extra: {} };
  for (const k of CORE_KEYS) counts[k] = tokens.get(k) ?? 0;
  if (counts.lines !== counts.ai + counts.mixed + counts.human + counts.unknown) {
    return { status: 'malformed', problem: 'lines is not ai + mixed + human + unknown' };
  }
  for (const [k, n] of tokens) {
    if (k === 'v' || (CORE_KEYS as readonly string[]).includes(k)) continue;
    if (isOrigin(k)) counts.origins[k] = n;
    else counts.extra[k] = n;
  }
  return { status: 'ok', counts };
}

/** One commit of the range, as reported. */
export interface CommitReport {
  readonly sha: string;
  readonly shortSha: string;
  readonly subject: string;
  /** More than one parent: the hook leaves merge commits alone, so they are not expected to carry a trailer. */
  readonly merge: boolean;
  /** Whether the message has an `AI-Provenance` trailer at all (readable or not). */
  readonly trailer: boolean;
  readonly status: TrailerStatus;
  /** Why the trailer could not be used (malformed, unsupported version). */
  readonly problem?: string;
  /** Present when `status` is `ok`. */
  readonly counts?: TrailerCounts;
  /** `Assisted-by` values, in message order, without repeats. */
  readonly tools: string[];
}

const FIELD = '\x1e';
const ITEM = '\x1f';
const RECORD = '\0';

/**
 * One `git log` for the whole range. Trailers come keyed (`AI-Provenance:
 * value`), not `valueonly`: a trailer with an empty value must read as
 * malformed, not as missing. The subject goes last, so nothing it holds can
 * shift the other fields.
 */
const LOG_FORMAT = [
  '%H',
  '%h',
  '%P',
  `%(trailers:key=${TRAILER_KEY},unfold,separator=%x1f)`,
  `%(trailers:key=${ASSISTED_BY_KEY},valueonly,unfold,separator=%x1f)`,
  '%s',
].join('%x1e');

/** Reads the commits of a range with their trailers; a bad range is a {@link UsageError}. */
export async function readCommits(cwd: string, revs: readonly string[]): Promise<CommitReport[]> {
  let out: string;
  try {
    // --end-of-options: a range that looks like an option is still a range.
    out = await git(['log', '-z', '--no-color', '--no-show-signature', `--format=${LOG_FORMAT}`, '--end-of-options', ...revs, '--'], { cwd, timeoutMs: 120_000 });
  } catch (e) {
    if (e instanceof GitError && e.exitCode !== null) {
      const why = e.stderr.split('\n').find((l) => l.trim() !== '') ?? e.message;
      throw new UsageError(`cannot read the commits of ${revs.join(' ')}: ${why.replace(/^fatal: /, '')}`);
    }
    throw e;
  }
  return out
    .split(RECORD)
    .filter((r) => r !== '')
    .map(parseRecord);
}

function parseRecord(record: string): CommitReport {
  const fields = record.split(FIELD);
  if (fields.length < 6) throw new Error(`unexpected git log record: ${JSON.stringify(record.slice(0, 80))}`);
  const [sha, shortSha, parents, provenance, assisted] = fields;
  const subject = fields.slice(5).join(FIELD);
  const merge = parents.trim().split(/\s+/).filter((p) => p !== '').length > 1;
  const tools = [...new Set(assisted.split(ITEM).map((t) => t.trim()).filter((t) => t !== ''))];
  const values = provenance === '' ? [] : provenance.split(ITEM).map((t) => t.slice(t.indexOf(':') + 1).trim());
  const base = { sha, shortSha, subject, merge, tools };
  if (values.length === 0) return { ...base, trailer: false, status: 'missing' };
  const distinct = [...new Set(values)];
  // The hook replaces, never duplicates; two different values would need a guess.
  if (distinct.length > 1) return { ...base, trailer: true, status: 'malformed', problem: `${values.length} different ${TRAILER_KEY} trailers` };
  const r = readTrailerValue(distinct[0]);
  if (r.status === 'ok') return { ...base, trailer: true, status: 'ok', counts: r.counts };
  return { ...base, trailer: true, status: r.status, problem: r.problem };
}

export interface ReportTotal {
  readonly commits: number;
  /** Commits with a readable trailer: the ones the counts add up. */
  readonly withTrailer: number;
  /** Commits with no `AI-Provenance` trailer (merge commits included). */
  readonly withoutTrailer: number;
  readonly malformed: number;
  readonly unsupportedVersion: number;
  readonly merges: number;
  readonly counts: TrailerCounts;
  readonly tools: string[];
}

/** Adds up the commits with a readable trailer. */
export function summarize(commits: readonly CommitReport[]): ReportTotal {
  const counts: TrailerCounts = { lines: 0, ai: 0, mixed: 0, human: 0, unknown: 0, origins: {}, extra: {} };
  const tools = new Set<string>();
  let withTrailer = 0;
  for (const c of commits) {
    if (!c.counts) continue;
    withTrailer++;
    for (const k of CORE_KEYS) counts[k] += c.counts[k];
    for (const [k, n] of Object.entries(c.counts.origins)) counts.origins[k] = (counts.origins[k] ?? 0) + n;
    for (const [k, n] of Object.entries(c.counts.extra)) counts.extra[k] = (counts.extra[k] ?? 0) + n;
    for (const t of c.tools) tools.add(t);
  }
  return {
    commits: commits.length,
    withTrailer,
    withoutTrailer: commits.filter((c) => c.status === 'missing').length,
    malformed: commits.filter((c) => c.status === 'malformed').length,
    unsupportedVersion: commits.filter((c) => c.status === 'unsupported-version').length,
    merges: commits.filter((c) => c.merge).length,
    counts,
    tools: [...tools].sort(),
  };
}

/** The AI share in percent, rounded to one decimal: (ai + mixed) / lines; 0 when there are no lines. */
export function aiShare(c: Pick<TrailerCounts, 'lines' | 'ai' | 'mixed'>): number {
  return aiSharePercent(c, 1);
}

export interface GateResult {
  readonly gate: 'fail-above' | 'require-trailer';
  readonly passed: boolean;
  readonly message: string;
  /** For `require-trailer`: the commits that failed it. */
  readonly commits?: string[];
}

/** Checks the gates the options ask for. */
export function checkGates(commits: readonly CommitReport[], total: ReportTotal, opts: ReportOptions): GateResult[] {
  const gates: GateResult[] = [];
  if (opts.failAbove !== undefined) {
    const c = total.counts;
    // Compared exactly, not through the rounded share.
    const above = (c.ai + c.mixed) * 100 > opts.failAbove * c.lines;
    const share = aiShare(c);
    gates.push({
      gate: 'fail-above',
      passed: !above,
      message: above
        ? `AI share ${share}% (${c.ai + c.mixed} of ${c.lines} lines) is above ${opts.failAbove}%`
        : `AI share ${share}% (${c.ai + c.mixed} of ${c.lines} lines) is not above ${opts.failAbove}%`,
    });
  }
  if (opts.requireTrailer) {
    // A trailer that cannot be read proves no more than a missing one.
    const lacking = commits.filter((c) => !c.merge && c.status !== 'ok');
    gates.push({
      gate: 'require-trailer',
      passed: lacking.length === 0,
      message:
        lacking.length === 0
          ? 'every non-merge commit has a readable AI-Provenance trailer'
          : `${lacking.length} non-merge commit${lacking.length === 1 ? '' : 's'} without a readable AI-Provenance trailer:\n` +
            lacking.map((c) => `  ${c.shortSha} ${describeStatus(c)}  ${c.subject}`).join('\n'),
      commits: lacking.map((c) => c.sha),
    });
  }
  return gates;
}

function describeStatus(c: CommitReport): string {
  switch (c.status) {
    case 'ok':
      return 'ok';
    case 'missing':
      return c.merge ? 'merge, no trailer' : 'no trailer';
    case 'malformed':
      return `malformed trailer (${c.problem ?? '?'})`;
    case 'unsupported-version':
      return c.problem ?? 'unsupported version';
  }
}

/** The `--json` document. Counts are `null` for commits without a readable trailer. */
export function reportJson(commits: readonly CommitReport[], total: ReportTotal, gates: readonly GateResult[]): unknown {
  return {
    shareDefinition: SHARE_DEFINITION,
    commits: commits.map((c) => ({
      sha: c.sha,
      subject: c.subject,
      lines: c.counts?.lines ?? null,
      ai: c.counts?.ai ?? null,
      mixed: c.counts?.mixed ?? null,
      human: c.counts?.human ?? null,
      unknown: c.counts?.unknown ?? null,
      share: c.counts ? aiShare(c.counts) : null,
      reviewed: c.counts ? reviewedOf(c.counts).reviewed : null,
      unreviewed: c.counts ? reviewedOf(c.counts).unreviewed : null,
      origins: c.counts?.origins ?? {},
      extra: c.counts?.extra ?? {},
      tools: c.tools,
      trailer: c.trailer,
      status: c.status,
      ...(c.problem ? { problem: c.problem } : {}),
      merge: c.merge,
    })),
    total: {
      commits: total.commits,
      withTrailer: total.withTrailer,
      withoutTrailer: total.withoutTrailer,
      malformed: total.malformed,
      unsupportedVersion: total.unsupportedVersion,
      merges: total.merges,
      lines: total.counts.lines,
      ai: total.counts.ai,
      mixed: total.counts.mixed,
      human: total.counts.human,
      unknown: total.counts.unknown,
      share: aiShare(total.counts),
      ...reviewedOf(total.counts),
      origins: total.counts.origins,
      extra: total.counts.extra,
      tools: total.tools,
    },
    gates: gates.map((g) => ({ gate: g.gate, passed: g.passed, message: g.message, ...(g.commits ? { commits: g.commits } : {}) })),
  };
}

interface Style {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
}

const PLAIN: Style = { bold: (s) => s, dim: (s) => s, red: (s) => s };
const ANSI: Style = { bold: (s) => `\x1b[1m${s}\x1b[22m`, dim: (s) => `\x1b[2m${s}\x1b[22m`, red: (s) => `\x1b[31m${s}\x1b[39m` };

function tokensText(counts: TrailerCounts): string {
  return [...Object.entries(counts.origins), ...Object.entries(counts.extra)].map(([k, n]) => `${k}=${n}`).join(' ');
}

const SUBJECT_MAX = 72;

/** AI and mixed lines a person marked as reviewed (the additive `reviewed` token; absent means none). */
export function reviewedOf(c: TrailerCounts): { reviewed: number; unreviewed: number } {
  const reviewed = Math.min(c.extra.reviewed ?? 0, c.ai + c.mixed);
  return { reviewed, unreviewed: c.ai + c.mixed - reviewed };
}

/** The human-readable table. `color` only when writing to a terminal. */
export function formatTable(commits: readonly CommitReport[], total: ReportTotal, color: boolean): string {
  const st = color ? ANSI : PLAIN;
  const shaWidth = Math.max(7, ...commits.map((c) => c.shortSha.length));
  const num = (n: number | string, w: number): string => String(n).padStart(w);
  const row = (sha: string, share: string, l: string, a: string, m: string, h: string, u: string, r: string): string =>
    `${sha.padEnd(shaWidth)}  ${num(share, 6)}  ${num(l, 6)}  ${num(a, 6)}  ${num(m, 6)}  ${num(h, 6)}  ${num(u, 7)}  ${num(r, 10)}`;
  const reviewedCell = (k: TrailerCounts): string => {
    const r = reviewedOf(k);
    return r.reviewed + r.unreviewed === 0 ? '-' : `${r.reviewed}/${r.reviewed + r.unreviewed}`;
  };
  const out: string[] = [st.bold(`${row('commit', 'ai%', 'lines', 'ai', 'mixed', 'human', 'unknown', 'reviewed')}  subject`)];
  const indent = ' '.repeat(shaWidth + 2);
  for (const c of commits) {
    const subject = c.subject.length > SUBJECT_MAX ? `${c.subject.slice(0, SUBJECT_MAX - 1)}…` : c.subject;
    if (c.counts) {
      const k = c.counts;
      out.push(`${row(c.shortSha, `${aiShare(k).toFixed(1)}%`, String(k.lines), String(k.ai), String(k.mixed), String(k.human), String(k.unknown), reviewedCell(k))}  ${subject}`);
      const details = [tokensText(k), c.tools.map((t) => `${ASSISTED_BY_KEY}: ${t}`).join(', ')].filter((s) => s !== '');
      if (details.length > 0) out.push(st.dim(`${indent}${details.join(' · ')}`));
    } else {
      const what = describeStatus(c);
      const text = `${row(c.shortSha, '-', '-', '-', '-', '-', '-', '-')}  ${subject}`;
      out.push(c.status === 'missing' ? st.dim(text) : text);
      out.push(c.status === 'missing' ? st.dim(`${indent}${what}`) : st.red(`${indent}${what}`));
    }
  }
  const k = total.counts;
  out.push('');
  out.push(st.bold(row('total', `${aiShare(k).toFixed(1)}%`, String(k.lines), String(k.ai), String(k.mixed), String(k.human), String(k.unknown), reviewedCell(k))));
  const tok = tokensText(k);
  if (tok) out.push(`${indent}${tok}`);
  if (total.tools.length > 0) out.push(`${indent}tools: ${total.tools.join(', ')}`);
  const parts = [`${total.commits} commit${total.commits === 1 ? '' : 's'}`, `${total.withTrailer} with a trailer`, `${total.withoutTrailer} without`];
  if (total.malformed) parts.push(`${total.malformed} malformed`);
  if (total.unsupportedVersion) parts.push(`${total.unsupportedVersion} of an unsupported version`);
  if (total.merges) parts.push(`${total.merges} merge${total.merges === 1 ? '' : 's'} (the hook leaves merges alone)`);
  out.push(parts.join(', '));
  const r = reviewedOf(k);
  if (r.reviewed + r.unreviewed > 0) out.push(`AI lines reviewed: ${r.reviewed}, not reviewed: ${r.unreviewed} (reviewed = marked in the editor as read and vouched for)`);
  out.push(SHARE_DEFINITION);
  return `${out.join('\n')}\n`;
}

export interface ReportIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Whether stdout is a terminal (colours). */
  readonly color: boolean;
}

/** Runs `report`: 0 when every gate passed, 1 when one failed; bad input throws a {@link UsageError} (exit 2). */
export async function runReport(cwd: string, args: readonly string[], io: ReportIo): Promise<number> {
  const opts = parseReportArgs(args);
  const commits = await readCommits(cwd, opts.revs);
  const total = summarize(commits);
  const gates = checkGates(commits, total, opts);
  io.out(opts.json ? `${JSON.stringify(reportJson(commits, total, gates), null, 2)}\n` : formatTable(commits, total, io.color));
  const failed = gates.filter((g) => !g.passed);
  for (const g of failed) io.err(`ai-provenance: gate failed: ${g.message}\n`);
  return failed.length > 0 ? 1 : 0;
}
