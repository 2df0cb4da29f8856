import { isToolName } from './origin';
import { EMPTY_RECORD, parseRanges, recordOf } from './record';
import type { LineAttr, ParsedRecord } from './record';

/**
 * git-ai's authorship log (`authorship/3.0.0`, stored in `refs/notes/ai`),
 * read into our record so a team that mixes tools sees one picture. Read
 * only: we never write git-ai's notes. Specified by git-ai's
 * `specs/git_ai_standard_v3.0.0.md`: an attestation section (a path at
 * column 0, then `  <key> <ranges>` lines), a `---` line, then JSON metadata.
 */
export const GIT_AI_NOTES_REF = 'refs/notes/ai';
export const GIT_AI_SCHEMA = 'authorship/3.0.0';

/**
 * An AI line of git-ai's: an agent's checkpoint (`s_…` session keys) or a
 * legacy prompt. Its origin is an agent's edit (`ai-chat`), only `likely`:
 * git-ai saw it, we did not. The tool and model are git-ai's `agent_id`.
 */
const AI_ATTR: LineAttr = { cls: 'ai', origin: 'ai-chat', conf: 'likely' };

interface AgentId {
  readonly tool?: unknown;
  readonly model?: unknown;
}

type Metadata = Record<string, unknown>;

function objectAt(meta: Metadata, key: string): Record<string, unknown> {
  const v = meta[key];
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** The metadata, or why it is not an authorship/3.0.0 log. */
function readMetadata(json: string): Metadata | string {
  let meta: unknown;
  try {
    meta = JSON.parse(json);
  } catch {
    return 'git-ai note: the metadata is not JSON';
  }
  if (meta === null || typeof meta !== 'object' || Array.isArray(meta)) return 'git-ai note: the metadata is not a JSON object';
  const m = meta as Metadata;
  if (m.schema_version !== GIT_AI_SCHEMA) return `git-ai note: schema_version ${JSON.stringify(m.schema_version ?? null)} is not supported (${GIT_AI_SCHEMA} is)`;
  if (typeof m.base_commit_sha !== 'string') return 'git-ai note: no base_commit_sha';
  if (m.prompts === null || typeof m.prompts !== 'object' || Array.isArray(m.prompts)) return 'git-ai note: no prompts object';
  return m;
}

/** What an attestation key stands for, or why it cannot be read. */
function attrOfKey(key: string, meta: Metadata): LineAttr | string {
  let agent: unknown;
  if (/^s_[0-9a-f]{14}::t_[0-9a-f]{14}$/.test(key)) agent = objectAt(meta, 'sessions')[key.slice(0, 16)];
  else if (/^h_[0-9a-f]{14}$/.test(key)) return key in objectAt(meta, 'humans') ? { cls: 'human' } : `key ${key} is not in metadata.humans`;
  else if (/^(?:[0-9a-f]{16}|[0-9a-f]{7})$/.test(key)) agent = objectAt(meta, 'prompts')[key];
  else return `unknown attestation key ${JSON.stringify(key)}`;
  if (agent === null || typeof agent !== 'object') return `key ${key} has no session or prompt record`;
  const id = (agent as { agent_id?: AgentId }).agent_id;
  const tool = typeof id?.tool === 'string' && isToolName(id.tool) ? id.tool : undefined;
  const model = tool && typeof id?.model === 'string' && isToolName(id.model) ? id.model : undefined;
  return { ...AI_ATTR, ...(tool ? { tool } : {}), ...(model ? { model } : {}) };
}

/** A path line: bare, or in double quotes when it holds white space. */
function pathOf(line: string): string | undefined {
  if (!line.startsWith('"')) return /\s/.test(line) ? undefined : line;
  return line.length > 2 && line.endsWith('"') ? line.slice(1, -1) : undefined;
}

/**
 * Reads a git-ai note into a record. Only the lines git-ai attested are in
 * it: the others are "untracked" in git-ai's words, `unknown` in ours.
 * Nothing is guessed: a note that is not authorship/3.0.0, an entry that does
 * not parse or names no record, and a line given two different classes are
 * reported in `problems`, and their lines are left out (unknown).
 */
export function parseGitAiNote(text: string): ParsedRecord {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  const divider = lines.indexOf('---');
  if (divider < 0) return { record: EMPTY_RECORD, problems: ['git-ai note: no "---" line before the metadata'] };
  const meta = readMetadata(lines.slice(divider + 1).join('\n'));
  if (typeof meta === 'string') return { record: EMPTY_RECORD, problems: [meta] };
  const problems: string[] = [];
  const files = new Map<string, Map<number, LineAttr>>();
  const clashes = new Set<string>();
  let file: Map<number, LineAttr> | undefined;
  let filePath = '';
  lines.slice(0, divider).forEach((line, i) => {
    const where = `git-ai note line ${i + 1}`;
    if (line.trim() === '') return;
    if (!/^\s/.test(line)) {
      const p = pathOf(line);
      if (p === undefined) {
        problems.push(`${where}: malformed path`);
        file = undefined;
        return;
      }
      filePath = p;
      file = files.get(p) ?? new Map<number, LineAttr>();
      files.set(p, file);
      return;
    }
    const m = /^ {2}(\S+) (\S+)$/.exec(line);
    const ranges = m ? parseRanges(m[2]) : undefined;
    const attr = m && ranges ? attrOfKey(m[1], meta) : 'malformed entry';
    if (typeof attr === 'string') problems.push(`${where}: ${attr}`);
    else if (!file) problems.push(`${where}: an entry under no file`);
    else {
      for (const n of ranges as number[]) {
        const had = file.get(n);
        if (had && had.cls !== attr.cls) clashes.add(`${filePath}\0${n}`);
        file.set(n, attr);
      }
    }
  });
  for (const c of clashes) {
    const [p, n] = c.split('\0');
    files.get(p)?.delete(Number(n));
    problems.push(`git-ai note: ${p} line ${n} is attested both as AI and as human; left unknown`);
  }
  return { record: recordOf([...files].map(([path, l]) => ({ path, lines: l }))), problems };
}
