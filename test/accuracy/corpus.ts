// The corpus: committed files, the fixture's named completions, and the text
// the scripted agent and the clipboard bring in. Deterministic generators so
// that volume costs no hand-written lines.

const pad = (n: number): string => String(n).padStart(2, '0');

/** Python functions, `n` lines in total, all non-blank. */
export function pyBlock(tag: string, n: number, indent = ''): string {
  const out = [`${indent}def ${tag}(values, scale=1.0):`, `${indent}    """Computed by the assistant (${tag})."""`, `${indent}    total = 0.0`];
  for (let i = 0; out.length < n - 1; i++) out.push(`${indent}    total += values[${i}] * scale + ${i * 3} / ${i + 1}`);
  out.push(`${indent}    return total`);
  return out.slice(0, n).join('\n');
}

/** Rust function body lines. */
export function rsBlock(tag: string, n: number): string {
  const out = [`pub fn ${tag}(xs: &[i64]) -> i64 {`, '    let mut acc: i64 = 0;'];
  for (let i = 0; out.length < n - 2; i++) out.push(`    acc += xs.get(${i}).copied().unwrap_or(${i}) * ${i + 2};`);
  out.push('    acc', '}');
  return out.slice(0, n).join('\n');
}

/** Go function. */
export function goBlock(tag: string, n: number): string {
  const out = [`func ${tag}(items []int) int {`, '\tsum := 0'];
  for (let i = 0; out.length < n - 2; i++) out.push(`\tsum += items[${i}%len(items)] * ${i + 5} // step ${pad(i)}`);
  out.push('\treturn sum', '}');
  return out.slice(0, n).join('\n');
}

/** JavaScript / TypeScript statements. */
export function jsBlock(tag: string, n: number, { ts = false, indent = '' } = {}): string {
  const out = [`${indent}export function ${tag}(input${ts ? ': number[]' : ''})${ts ? ': number' : ''} {`, `${indent}  let acc = 0;`];
  for (let i = 0; out.length < n - 2; i++) out.push(`${indent}  acc += (input[${i}] ?? ${i}) * ${i + 7};`);
  out.push(`${indent}  return acc;`, `${indent}}`);
  return out.slice(0, n).join('\n');
}

/** Markdown prose. */
export function mdBlock(tag: string, n: number): string {
  const out = [`## ${tag}`];
  for (let i = 0; out.length < n; i++) out.push(`- point ${i + 1} of ${tag}: the assistant explains step ${i + 1} in a full sentence.`);
  return out.join('\n');
}

/** JSON-ish object members (no trailing comma on the last). */
export function jsonMembers(tag: string, n: number, indent = '  '): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(`${indent}"${tag}_${pad(i)}": { "id": ${i}, "label": "item ${i} of ${tag}" }${i < n - 1 ? ',' : ''}`);
  return out.join('\n');
}

/** Named completions offered by the fixture on the line after `@ai:NAME`. */
export const COMPLETIONS: Record<string, string> = {
  py_area: pyBlock('area_total', 20),
  py_mean: pyBlock('weighted_mean', 18),
  py_stats: pyBlock('running_stats', 20, ''),
  rs_sum: rsBlock('weighted_sum', 20),
  rs_max: rsBlock('scaled_max', 16),
  md_section: mdBlock('Generated section', 16),
  js_words: 'const greeting = formatGreeting(user.firstName, user.lastName, { polite: true });\nconst farewell = formatFarewell(user.firstName);',
  js_lines: 'const alpha = computeAlpha(input, 3);\nconst beta = computeBeta(alpha, 4);\nconst gamma = computeGamma(beta, 5);\nconst delta = computeDelta(gamma, 6);\nconst epsilon = computeEpsilon(delta, 7);\nconst zeta = computeZeta(epsilon, 8);\nconst eta = computeEta(zeta, 9);\nconst theta = computeTheta(eta, 10);',
  js_mix: 'const left = splitLeft(items);\nconst right = splitRight(items);\nconst merged = mergeSorted(left, right);',
  ts_move: jsBlock('movedByAssistant', 16, { ts: true }),
  ts_total: 'const total = prices.reduce((sum, p) => sum + p, 0);\nconst withTax = total * 1.2;\nconsole.log(total, withTax);\nreturn total;',
  js_format: 'const  sloppy={a:1,b:2};\nif(sloppy.a){console.log( "ai" )}\nfunction   aiHelper( x ){return x*2}\nconst list=[1,2,3].map(( v )=>v*2);\nlet   counter=0;\nfor(const v of list){counter+=v}\nconst obj={name:"ai",size:3,tags:["x","y"]};\nexport   {aiHelper,obj};',
  jsonc_ai: '"aiSetting": {"enabled":true,"level":3},\n"aiList": [1,2,3],',
  js_undo: jsBlock('undoable', 12),
  py_ext: pyBlock('before_external', 6, ''),
  go_visible: goBlock('assistantHelper', 8),
  js_moves: 'const first = computeFirst(input);\nconst second = computeSecond(first);\nconst third = computeThird(second);\nconst fourth = computeFourth(third);',
  py_replace: 'value_total = compute_value(items)\nvalue_scaled = value_total * 2\nprint(value_total, value_scaled)',
  js_whole: 'const copiedWhole = copyWholeLine(input);\nconst cutWhole = cutWholeLine(copiedWhole);\nconst keptHere = keepLine(cutWhole);',
  js_sort: 'const zebra = lastOfAll(input);\nconst apple = firstOfAll(input);',
  js_join: 'const joinedLeft = joinLeft(input,\n  extraArgument);',
  js_drag: 'const first = dragFirst(input);\nconst second = dragSecond(first);\nconst third = dragThird(second);',
};

/** Text pasted from outside the editor (a chat panel). */
export const EXTERNAL_PASTES: Record<string, string> = {
  py: pyBlock('pasted_from_chat', 12),
  md: mdBlock('Pasted from a browser', 16),
  go: goBlock('pastedFromChat', 20),
  js: jsBlock('pastedHelper', 6),
};

/** The committed files. Every file belongs to one scenario. */
export const BASE_FILES: Record<string, string> = {
  'lines/moves.js': '// Lines.\n\n// @ai:js_moves\n\n// typed below\n',
  'lines/replace.py': '"""Replace."""\n\n# @ai:py_replace\n\n',
  'lines/copy.ts': '// Copy.\n\n',
  'lines-more/source.js': '// Source.\n\n// @ai:js_whole\n\n// typed below\n',
  'lines-more/target.js': '// Target.\n\nconst here = 0;\n',
  'lines-more/sort.js': '// Sort.\n\n// @ai:js_sort\n',
  'lines-more/join.js': '// Join.\n\n// @ai:js_join\n',
  'refactor/extract.ts': "export function main(): void {\n  console.log('one');\n  console.log('two');\n}\n",
  'refactor/move.ts': "export function main(): void {\n  console.log('main');\n}\n\nexport function other(): number {\n  const base = 40;\n  return base + 2;\n}\n",
  'refactor/fix.ts': 'export function main(): number {\n  const r = compute(1);\n  return r;\n}\n' + Array.from({ length: 14 }, (_, i) => `export const k${i} = ${i} * 2;\n`).join(''),
  'refactor/imports.ts': 'export const v = helper();\n',
  'refactor/lib.ts': 'export function helper(): number {\n  return 1;\n}\n',
  'drag/moves.js': '// Drag.\n\n// @ai:js_drag\n\n// typed below\n// drop here\n',
  'lines/shape.ts': 'interface Shape {\n  area(): number;\n  name: string;\n}\n\nexport class Square implements Shape {\n}\n',
  'typed/calc.go': 'package calc\n\n// Typed by hand below.\n',
  'typed/notes.md': '# Notes\n\nTyped by hand.\n',
  'completion/shapes.py': '"""Shapes."""\n\n# @ai:py_area\n\n# @ai:py_mean\n\n\nclass Shape:\n    # @ai:py_stats\n    pass\n',
  'completion/lib.rs': '// Library.\n\n// @ai:rs_sum\n\n// @ai:rs_max\n\n',
  'completion/guide.md': '# Guide\n\n<!-- @ai:md_section -->\n\nThe end.\n',
  'partial/util.js': '// Utilities.\n\n// @ai:js_words\n\n// @ai:js_lines\n\n// @ai:js_mix\n\n',
  'paste-external/config.py': '"""Config."""\n\nDEBUG = False\n',
  'paste-external/guide.md': '# Guide\n\nIntro.\n',
  'paste-external/main.go': 'package main\n\nfunc main() {\n}\n',
  'paste-internal/source.ts': '// Source.\n\n// @ai:ts_move\n\n// human part\n',
  'paste-internal/target.ts': '// Target.\n\n',
  'chat/service.go': 'package service\n\nimport "fmt"\n\nfunc Hello() {\n\tfmt.Println("hello")\n}\n',
  'chat/worker.py': '"""Worker."""\n\nimport os\n\n\ndef main():\n    print(os.getcwd())\n',
  'ide/suggest.ts': 'export function computeGrandTotal(a: number, b: number): number {\n  return a + b;\n}\n\n',
  'ide/format.js': '// Format me.\n// @ai:js_format\n\n',
  'ide/settings.jsonc': '{\n  // @ai:jsonc_ai\n  \n  "name":"demo","version":1\n}\n',
  'ide/rename.ts': "import { z } from './z';\nimport { a } from './a';\n\nexport function sum(prices: number[]): number {\n  // @ai:ts_total\n  \n}\n\nexport const count = a + z;\n",
  'ide/a.ts': 'export const a = 1;\n',
  'find/swap.py': '"""Find and replace."""\n\n',
  'find/names.ts': '// Names.\nexport {};\n\n',
  'ide/z.ts': 'export const z = 2;\n',
  'undo/undo.js': '// Undo and redo.\n// @ai:js_undo\n\n',
  'external/data.py': '"""Data."""\n\nVALUES = [1, 2, 3]\n',
};
