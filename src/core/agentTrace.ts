import type { CommitRecord, LineAttr, LineClass, RecordSource } from './record';

/**
 * Agent Trace (cursor/agent-trace, spec 0.1.0, RFC): one trace record per
 * commit, from its record. The schema's `version` must match `^[0-9]+\.[0-9]+$`
 * (the spec's own examples write `0.1.0`, which its schema rejects), so we
 * write `0.1`. Ranges are line runs of the commit's version of each file, as
 * in our record; what the schema has no field for (origin, confidence, tool,
 * review) goes under `metadata["ai-provenance"]`.
 */
export const AGENT_TRACE_VERSION = '0.1';
export const METADATA_KEY = 'ai-provenance';

export interface TraceContributor {
  readonly type: LineClass;
  readonly model_id?: string;
}

export interface TraceRange {
  readonly start_line: number;
  readonly end_line: number;
}

export interface TraceRecord {
  readonly version: string;
  readonly id: string;
  readonly timestamp: string;
  readonly vcs: { readonly type: 'git'; readonly revision: string };
  readonly tool: { readonly name: string; readonly version: string };
  readonly files: ReadonlyArray<{ readonly path: string; readonly conversations: ReadonlyArray<{ readonly contributor: TraceContributor; readonly ranges: readonly TraceRange[] }> }>;
  readonly metadata: Record<string, unknown>;
}

/** What one trace record is made from. */
export interface TraceInput {
  readonly sha: string;
  /** A UUID for the record (the caller derives it, so a record's id is stable). */
  readonly id: string;
  /** When the record was made: the commit's committer date, RFC 3339 in UTC. */
  readonly timestamp: string;
  readonly toolVersion: string;
  readonly record: CommitRecord;
  readonly source: RecordSource;
  readonly problems: readonly string[];
}

/** Model providers by model name prefix, as Agent Trace's reference implementation names them (models.dev ids). */
const PROVIDERS: ReadonlyArray<readonly [string, string]> = [
  ['claude-', 'anthropic'],
  ['gpt-', 'openai'],
  ['o1', 'openai'],
  ['o3', 'openai'],
  ['gemini-', 'google'],
];

/** `provider/model` when the model names its provider or the provider is known by the name; else the model as recorded. */
export function modelId(model: string): string {
  if (model.includes('/')) return model;
  const p = PROVIDERS.find(([prefix]) => model.startsWith(prefix));
  return p ? `${p[1]}/${model}` : model;
}

/** Runs of consecutive line numbers (ascending input). */
function runs(lines: readonly number[]): TraceRange[] {
  const out: TraceRange[] = [];
  for (const n of lines) {
    const last = out[out.length - 1];
    if (last && last.end_line === n - 1) out[out.length - 1] = { start_line: last.start_line, end_line: n };
    else out.push({ start_line: n, end_line: n });
  }
  return out;
}

/** Lines grouped by a key of their attribute, each group's lines ascending, groups in order of first line. */
function groupLines(lines: ReadonlyMap<number, LineAttr>, key: (a: LineAttr) => string): Array<{ attr: LineAttr; lines: number[] }> {
  const groups = new Map<string, { attr: LineAttr; lines: number[] }>();
  for (const n of [...lines.keys()].sort((a, b) => a - b)) {
    const attr = lines.get(n) as LineAttr;
    const k = key(attr);
    const g = groups.get(k);
    if (g) g.lines.push(n);
    else groups.set(k, { attr, lines: [n] });
  }
  return [...groups.values()];
}

function contributorOf(a: LineAttr): TraceContributor {
  return a.model ? { type: a.cls, model_id: modelId(a.model) } : { type: a.cls };
}

/** Our own fields for the AI lines, per run of identical attributes. */
function aiDetails(record: CommitRecord): unknown[] {
  return record.files.flatMap((f) =>
    groupLines(f.lines, (a) => JSON.stringify(a))
      .filter((g) => g.attr.cls === 'ai' || g.attr.cls === 'mixed')
      .flatMap((g) =>
        runs(g.lines).map((r) => ({
          path: f.path,
          ...r,
          class: g.attr.cls,
          ...(g.attr.origin ? { origin: g.attr.origin } : {}),
          ...(g.attr.conf ? { confidence: g.attr.conf } : {}),
          ...(g.attr.tool ? { tool: g.attr.tool } : {}),
          ...(g.attr.model ? { model: g.attr.model } : {}),
          reviewed: g.attr.review ? { by: g.attr.review.by, at: g.attr.review.at } : null,
        })),
      ),
  );
}

/** The Agent Trace record of one commit's record. */
export function agentTraceRecord(input: TraceInput): TraceRecord {
  const files = input.record.files.map((f) => ({
    path: f.path,
    conversations: groupLines(f.lines, (a) => JSON.stringify(contributorOf(a))).map((g) => ({ contributor: contributorOf(g.attr), ranges: runs(g.lines) })),
  }));
  const meta = { source: input.source, lines: aiDetails(input.record), ...(input.problems.length > 0 ? { problems: [...input.problems] } : {}) };
  return {
    version: AGENT_TRACE_VERSION,
    id: input.id,
    timestamp: input.timestamp,
    vcs: { type: 'git', revision: input.sha },
    tool: { name: 'ai-provenance', version: input.toolVersion },
    files,
    metadata: { [METADATA_KEY]: meta },
  };
}
