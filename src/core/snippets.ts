/**
 * Recognising a snippet VS Code inserted (Insert Snippet, a snippet item or
 * prefix accepted without a key we wrap) from its text alone: the inserted
 * text must be exactly what one of the snippets VS Code knows expands to,
 * with placeholders at their defaults (`${1:name}` → `name`, `$1` → empty),
 * choices at any choice, variables (`$TM_FILENAME`…) anything on their line,
 * and the lines after the first indented as VS Code indents them (the
 * insertion line's indentation plus the snippet's own, tabs per the editor's
 * tab size). See docs/snippets.md.
 */

/** One snippet as a snippet file declares it. */
export interface SnippetDef {
  /** Its name (the key in the file), for the evidence. */
  readonly name: string;
  /** Where it comes from, for the evidence: an extension's id, or "your snippets (file)". */
  readonly from: string;
  /** Language ids it applies to; undefined: every language. */
  readonly languages?: readonly string[];
  /** The body, lines joined by `\n`. */
  readonly body: string;
}

/** A piece of an expanded snippet: literal text, anything on one line (a variable), or one of some choices. */
type Piece = { readonly lit: string } | { readonly any: true } | { readonly alt: readonly string[] };

/** A snippet's body as parsed: text, tab stops (with their default or choices) and variables. */
type Node =
  | { readonly k: 'text'; readonly s: string }
  | { readonly k: 'tab'; readonly n: number; readonly children?: readonly Node[]; readonly choices?: readonly string[]; readonly transform?: boolean }
  | { readonly k: 'var'; readonly name: string };

/** Literal text and choices with no variable between them: each element a literal or the choices of one tab stop. */
type Block = ReadonlyArray<string | readonly string[]>;

interface CompiledLine {
  /** The line's literal leading white space in the snippet. */
  readonly indent: string;
  /** The rest of the line: the blocks between its variables (a variable matches anything on its line). */
  readonly blocks: readonly Block[];
  /** A variable before the first block, and after the last. */
  readonly lead: boolean;
  readonly trail: boolean;
}

interface Compiled {
  readonly def: SnippetDef;
  readonly lines: readonly CompiledLine[];
  /** Non-space characters the snippet fixes (literal text, not variables or choices). */
  readonly literal: number;
  /** Its longest literal piece without white space at its ends: a cheap first test. */
  readonly anchor: string;
}

/** Where the text was inserted, as the matcher needs it. */
export interface InsertionContext {
  readonly language: string;
  /** The white space the insertion line begins with, up to the insertion point: VS Code indents each later line of the snippet by it. */
  readonly lineIndent: string;
  readonly tabSize: number;
}

export interface SnippetMatch {
  readonly name: string;
  readonly from: string;
  /** Characters of the text that variables matched (a selection `$TM_SELECTED_TEXT` wrapped, say). */
  readonly variableChars: number;
  /** Where in the text variables matched something: offset and length, in order. */
  readonly variables: ReadonlyArray<{ readonly offset: number; readonly length: number }>;
}

/** Bounds of the index: it never holds more than this, whatever the extensions contribute. */
export interface SnippetLimits {
  readonly maxSnippets: number;
  readonly maxBodyChars: number;
  /** Inserted text longer than this is not looked up. */
  readonly maxTextChars: number;
}

export const SNIPPET_LIMITS: SnippetLimits = { maxSnippets: 5000, maxBodyChars: 8000, maxTextChars: 20_000 };

/**
 * Fewest non-space characters a snippet must fix for its match to count: a
 * body of variables and placeholders alone (`$CLIPBOARD`, `$1`) would match
 * anything.
 */
export const MIN_LITERAL_CHARS = 6;

/** Parses a snippet body the way VS Code's snippet parser reads it (escapes `\$`, `\}`, `\\`; malformed `$…` is text). */
export function parseSnippet(body: string): Node[] {
  return new Parser(body.replace(/\r\n?/g, '\n')).nodes(false);
}

/** Placeholders nested deeper than this are read as text: the parser recurses per level. */
const MAX_NESTING = 64;

class Parser {
  private i = 0;
  private depth = 0;
  constructor(private readonly s: string) {}

  /** Nodes up to the end, or up to an unescaped `}` when `inner` (which is consumed). */
  nodes(inner: boolean): Node[] {
    const out: Node[] = [];
    let text = '';
    const flush = (): void => {
      if (text) out.push({ k: 'text', s: text });
      text = '';
    };
    while (this.i < this.s.length) {
      const c = this.s[this.i];
      if (c === '\\' && '$}\\'.includes(this.s[this.i + 1] ?? '')) {
        text += this.s[this.i + 1];
        this.i += 2;
      } else if (inner && c === '}') {
        this.i++;
        break;
      } else if (c === '$') {
        const start = this.i;
        const node = this.dollar();
        if (node) {
          flush();
          out.push(node);
        } else {
          this.i = start + 1;
          text += '$';
        }
      } else {
        text += c;
        this.i++;
      }
    }
    flush();
    return out;
  }

  /** A tab stop, placeholder, choice or variable at `$`; undefined (position undefined) if malformed. */
  private dollar(): Node | undefined {
    const rest = this.s.slice(this.i + 1);
    const simple = /^(\d+|[_a-zA-Z][_a-zA-Z0-9]*)/.exec(rest);
    if (simple) {
      this.i += 1 + simple[1].length;
      return /^\d/.test(simple[1]) ? { k: 'tab', n: Number(simple[1]) } : { k: 'var', name: simple[1] };
    }
    const braced = /^\{(\d+|[_a-zA-Z][_a-zA-Z0-9]*)([}:|/])/.exec(rest);
    if (!braced) return undefined;
    const [head, id, sep] = braced;
    this.i += 1 + head.length;
    const isTab = /^\d/.test(id);
    if (sep === '}') return isTab ? { k: 'tab', n: Number(id) } : { k: 'var', name: id };
    if (sep === ':') {
      if (this.depth >= MAX_NESTING) return undefined;
      this.depth++;
      const children = this.nodes(true);
      this.depth--;
      // A variable's default is used only when it does not resolve: a variable matches anything on its line anyway.
      return isTab ? { k: 'tab', n: Number(id), children } : { k: 'var', name: id };
    }
    if (sep === '|') return isTab ? this.choice(Number(id)) : undefined;
    if (!this.skipTransform()) return undefined;
    return isTab ? { k: 'tab', n: Number(id), transform: true } : { k: 'var', name: id };
  }

  /** `a,b|}` after `${1|`. */
  private choice(n: number): Node | undefined {
    const choices: string[] = [];
    let cur = '';
    while (this.i < this.s.length) {
      const c = this.s[this.i];
      if (c === '\\' && ',|\\$}'.includes(this.s[this.i + 1] ?? '')) {
        cur += this.s[this.i + 1];
        this.i += 2;
      } else if (c === ',') {
        choices.push(cur);
        cur = '';
        this.i++;
      } else if (c === '|' && this.s[this.i + 1] === '}') {
        choices.push(cur);
        this.i += 2;
        return { k: 'tab', n, choices };
      } else {
        cur += c;
        this.i++;
      }
    }
    return undefined;
  }

  /** Skips `regex/format/options}` after `${1/`: braces in the format (`${1:/upcase}`) nest. */
  private skipTransform(): boolean {
    let depth = 1;
    while (this.i < this.s.length) {
      const c = this.s[this.i];
      if (c === '\\') this.i += 2;
      else {
        if (c === '{') depth++;
        else if (c === '}' && --depth === 0) {
          this.i++;
          return true;
        }
        this.i++;
      }
    }
    return false;
  }
}

/** Pieces an expansion may have at most, and literal characters: mirrored placeholders referring to each other multiply. */
export const MAX_PIECES = 4096;
export const MAX_EXPANDED_CHARS = 32_000;

/**
 * The snippet as VS Code inserts it with every placeholder at its default: the first tab stop of a number
 * with a value gives every one of that number its value. A placeholder that refers to itself, directly or
 * through others (`${1:$2} ${2:$1}`), renders empty inside itself. Undefined when the expansion exceeds
 * {@link MAX_PIECES} or {@link MAX_EXPANDED_CHARS} (references multiplying): such a snippet is not matched.
 */
export function expandSnippet(nodes: readonly Node[]): Piece[] | undefined {
  const values = new Map<number, Node>();
  const collect = (ns: readonly Node[]): void => {
    for (const n of ns) {
      if (n.k !== 'tab') continue;
      if ((n.children || n.choices) && !values.has(n.n)) values.set(n.n, n);
      if (n.children) collect(n.children);
    }
  };
  collect(nodes);
  const out: Piece[] = [];
  const expanding: number[] = [];
  let chars = 0;
  const render = (ns: readonly Node[]): boolean => {
    for (const n of ns) {
      if (out.length >= MAX_PIECES || chars > MAX_EXPANDED_CHARS) return false;
      if (n.k === 'text') {
        out.push({ lit: n.s });
        chars += n.s.length;
      } else if (n.k === 'var' || n.transform || expanding.length > 8) out.push({ any: true });
      else if (!expanding.includes(n.n)) {
        const v = n.children || n.choices ? n : values.get(n.n);
        if (v?.k === 'tab' && v.choices) out.push({ alt: v.choices });
        else if (v?.k === 'tab' && v.children) {
          expanding.push(n.n);
          const ok = render(v.children);
          expanding.pop();
          if (!ok) return false;
        }
      }
    }
    return true;
  };
  return render(nodes) ? out : undefined;
}

const nonSpace = (s: string): number => s.replace(/\s+/g, '').length;

/** Splits expanded pieces into lines (variables and choices never span lines: a choice with a line break is taken as anything). */
function linesOf(pieces: readonly Piece[]): Piece[][] {
  const lines: Piece[][] = [[]];
  for (const p of pieces) {
    if ('lit' in p) {
      p.lit.split('\n').forEach((part, i) => {
        if (i > 0) lines.push([]);
        if (part) lines[lines.length - 1].push({ lit: part });
      });
    } else if ('alt' in p && p.alt.some((a) => a.includes('\n'))) {
      lines[lines.length - 1].push({ any: true });
    } else lines[lines.length - 1].push(p);
  }
  return lines;
}

/** One line of pieces: its literal leading white space, and the rest as blocks between variables. */
function compileLine(pieces: readonly Piece[]): CompiledLine {
  let indent = '';
  let i = 0;
  const rest: Piece[] = [];
  for (; i < pieces.length; i++) {
    const p = pieces[i];
    if (!('lit' in p)) break;
    const ws = /^[ \t]*/.exec(p.lit)![0];
    indent += ws;
    if (ws.length < p.lit.length) {
      rest.push({ lit: p.lit.slice(ws.length) });
      i++;
      break;
    }
  }
  rest.push(...pieces.slice(i));
  const blocks: Array<Array<string | readonly string[]>> = [[]];
  for (const p of rest) {
    const block = blocks[blocks.length - 1];
    if ('any' in p) {
      if (block.length) blocks.push([]);
    } else if ('alt' in p) block.push(p.alt);
    else if (typeof block[block.length - 1] === 'string') block[block.length - 1] += p.lit;
    else block.push(p.lit);
  }
  if (!blocks[blocks.length - 1].length) blocks.pop();
  return { indent, blocks, lead: 'any' in (rest[0] ?? {}), trail: 'any' in (rest[rest.length - 1] ?? {}) };
}

/** A snippet ready to match; undefined when it fixes too little text to be told from other text. */
export function compileSnippet(def: SnippetDef): Compiled | undefined {
  const pieces = expandSnippet(parseSnippet(def.body));
  if (!pieces) return undefined;
  let literal = 0;
  let anchor = '';
  for (const p of pieces) {
    if (!('lit' in p)) continue;
    literal += nonSpace(p.lit);
    for (const part of p.lit.split('\n')) if (part.trim().length > anchor.length) anchor = part.trim();
  }
  if (literal < MIN_LITERAL_CHARS) return undefined;
  return { def, lines: linesOf(pieces).map(compileLine), literal, anchor };
}

/** Columns white space takes from the start of a line. */
function width(ws: string, tabSize: number): number {
  let col = 0;
  for (const c of ws) col = c === '\t' ? col + tabSize - (col % tabSize) : col + 1;
  return col;
}

/** Characters a match of one text may compare at most: past it the text is taken for no match. */
const MAX_STEPS = 200_000;

/**
 * Whether `text`, inserted where `ctx` says, is exactly this snippet as VS Code expands it: the characters
 * its variables matched, or undefined. Linear in the text (no backtracking), and bounded by {@link MAX_STEPS}.
 */
function matches(c: Compiled, text: string, lines: readonly string[], ctx: InsertionContext): Span[] | undefined {
  if (lines.length !== c.lines.length) return undefined;
  const base = width(ctx.lineIndent, ctx.tabSize);
  const budget = { steps: 0 };
  const vars: Span[] = [];
  let offset = 0;
  for (let i = 0; i < lines.length; i++) {
    const ws = /^[ \t]*/.exec(lines[i])![0];
    const want = (i === 0 ? 0 : base) + width(c.lines[i].indent, ctx.tabSize);
    if (width(ws, ctx.tabSize) !== want) return undefined;
    if (!matchLine(c.lines[i], lines[i].slice(ws.length), offset + ws.length, vars, budget)) return undefined;
    offset += lines[i].length;
    offset += text.startsWith('\r\n', offset) ? 2 : 1;
  }
  return vars;
}

interface Span {
  readonly offset: number;
  readonly length: number;
}

/** Whether one line (its indentation aside, starting at `base` in the text) matches; what its variables took goes to `vars`. */
function matchLine(line: CompiledLine, s: string, base: number, vars: Span[], budget: { steps: number }): boolean {
  const { blocks, lead, trail } = line;
  const took = (from: number, to: number): void => {
    if (to > from) vars.push({ offset: base + from, length: to - from });
  };
  if (blocks.length === 0) {
    if (lead) took(0, s.length);
    return lead || s.length === 0;
  }
  let cur = 0;
  for (let i = 0; i < blocks.length; i++) {
    const at = placeBlock(blocks[i], s, cur, i === 0 && !lead, i === blocks.length - 1 && !trail, budget);
    if (!at) return false;
    took(cur, at.start);
    cur = at.end;
  }
  if (trail) took(cur, s.length);
  return true;
}

/**
 * Where `block` matches in `s` from `from` on, ending earliest (what follows is a variable, which takes any
 * text: the earliest end leaves it the most); starting at `from` exactly when `fixedStart`, and ending at the
 * end of `s` when `fixedEnd`. Undefined when it does not, or the budget is spent.
 */
function placeBlock(block: Block, s: string, from: number, fixedStart: boolean, fixedEnd: boolean, budget: { steps: number }): { start: number; end: number } | undefined {
  const [first] = block;
  if (block.length === 1 && typeof first === 'string') {
    // Literal text alone: at the start, at the end, or its leftmost occurrence.
    const start = fixedEnd ? s.length - first.length : fixedStart ? from : s.indexOf(first, from);
    budget.steps += s.length - from;
    const ok = start >= from && (!fixedStart || start === from) && s.startsWith(first, start);
    return ok && budget.steps <= MAX_STEPS ? { start, end: start + first.length } : undefined;
  }
  let best: { start: number; end: number } | undefined;
  for (let at = from; at <= s.length && budget.steps <= MAX_STEPS; at++) {
    if (typeof first === 'string' && !fixedStart) {
      const next = s.indexOf(first, at);
      budget.steps += (next < 0 ? s.length : next) - at + 1;
      if (next < 0) break;
      at = next;
    }
    if (best && at >= best.end) break;
    const ends = blockEnds(block, s, at, budget);
    if (fixedEnd && ends.includes(s.length)) return { start: at, end: s.length };
    if (!fixedEnd && ends.length && (!best || Math.min(...ends) < best.end)) best = { start: at, end: Math.min(...ends) };
    if (fixedStart) break;
  }
  return budget.steps <= MAX_STEPS ? best : undefined;
}

/** Where `block` can end when it starts at `at` in `s` (none when it cannot, or too many ways to tell). */
function blockEnds(block: Block, s: string, at: number, budget: { steps: number }): number[] {
  let ends = [at];
  for (const part of block) {
    const next = new Set<number>();
    for (const p of ends) {
      for (const alt of typeof part === 'string' ? [part] : part) {
        budget.steps += alt.length + 1;
        if (s.startsWith(alt, p)) next.add(p + alt.length);
      }
    }
    if (next.size === 0 || next.size > 64) return [];
    ends = [...next];
  }
  return ends;
}

/**
 * The snippets VS Code knows, compiled once, by line count. Bounded by
 * {@link SnippetLimits}; what does not fit is left out (and not matched).
 */
export class SnippetIndex {
  private readonly byLines = new Map<number, Compiled[]>();
  private count = 0;

  constructor(private readonly limits: SnippetLimits = SNIPPET_LIMITS) {}

  get size(): number {
    return this.count;
  }

  /** Adds snippets while the index has room; returns how many were taken. */
  add(defs: Iterable<SnippetDef>): number {
    let taken = 0;
    for (const def of defs) {
      if (this.count >= this.limits.maxSnippets) break;
      if (def.body.length > this.limits.maxBodyChars) continue;
      const c = compileSnippet(def);
      if (!c) continue;
      const list = this.byLines.get(c.lines.length) ?? [];
      list.push(c);
      this.byLines.set(c.lines.length, list);
      this.count++;
      taken++;
    }
    return taken;
  }

  /**
   * The snippet `text` is an exact expansion of, for `ctx.language`. What a
   * variable or choice matched may not outweigh what the snippet fixes, so
   * that a snippet made mostly of variables cannot claim arbitrary text.
   */
  match(text: string, ctx: InsertionContext): SnippetMatch | undefined {
    if (text.length > this.limits.maxTextChars) return undefined;
    const lines = text.split(/\r\n|\r|\n/);
    const total = nonSpace(text);
    for (const c of this.byLines.get(lines.length) ?? []) {
      if (c.def.languages && !c.def.languages.includes(ctx.language)) continue;
      if (!text.includes(c.anchor) || total - c.literal > c.literal) continue;
      const variables = matches(c, text, lines, ctx);
      if (variables) return { name: c.def.name, from: c.def.from, variableChars: variables.reduce((n, v) => n + v.length, 0), variables };
    }
    return undefined;
  }
}

/**
 * The snippets of one snippet file (JSON already parsed): `{name: {prefix,
 * body, scope?}}`, or the older form with one more level (a group of
 * snippets). `language`: the language the file was contributed for, if any;
 * else each snippet's `scope` (comma-separated ids), else every language.
 */
export function snippetsOfFile(json: unknown, from: string, language?: string): SnippetDef[] {
  const out: SnippetDef[] = [];
  const visit = (obj: unknown, depth: number): void => {
    if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return;
    for (const [name, v] of Object.entries(obj as Record<string, unknown>)) {
      const def = v as { body?: unknown; scope?: unknown };
      const body = typeof def?.body === 'string' ? def.body : Array.isArray(def?.body) && def.body.every((l) => typeof l === 'string') ? def.body.join('\n') : undefined;
      if (body !== undefined) {
        const scope = typeof def.scope === 'string' ? def.scope.split(',').map((s) => s.trim()).filter(Boolean) : [];
        const languages = language ? [language] : scope.length ? scope : undefined;
        out.push({ name, from, body, ...(languages ? { languages } : {}) });
      } else if (depth === 0) visit(v, 1);
    }
  };
  visit(json, 0);
  return out;
}
