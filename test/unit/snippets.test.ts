import { strict as assert } from 'node:assert';
import { classifyEvent, type ChangeSnapshot } from '../../src/core/changeFacts';
import { classifyChange, EvidencePool } from '../../src/core/classify';
import { parseJsonc } from '../../src/core/jsonc';
import { compileSnippet, expandSnippet, MAX_EXPANDED_CHARS, MAX_PIECES, parseSnippet, SnippetIndex, snippetsOfFile, type InsertionContext, type SnippetDef } from '../../src/core/snippets';
import { SpanModel } from '../../src/core/spans';

// VS Code 1.139's typescript-basics snippets, as the built-in extension ships them.
const TRY_CATCH: SnippetDef = { name: 'Try-Catch Statement', from: 'extension vscode.typescript-basics', languages: ['typescript'], body: ['try {', '\t$TM_SELECTED_TEXT$0', '} catch (${1:error}) {', '\t', '}'].join('\n') };
const FOR_LOOP: SnippetDef = {
  name: 'For Loop',
  from: 'extension vscode.typescript-basics',
  languages: ['typescript'],
  body: ['for (let ${1:index} = 0; ${1:index} < ${2:array}.length; ${1:index}++) {', '\tconst ${3:element} = ${2:array}[${1:index}];', '\t$TM_SELECTED_TEXT$0', '}'].join('\n'),
};
const PROP: SnippetDef = {
  name: 'Define a full property',
  from: 'extension vscode.typescript-basics',
  languages: ['typescript'],
  body: ['', 'private _${1:value} : ${2:string};', 'public get ${1:value}() : ${2:string} {', '\treturn this._${1:value};', '}'].join('\n'),
};

const TS: InsertionContext = { language: 'typescript', lineIndent: '', tabSize: 2 };
const indexOf = (...defs: SnippetDef[]): SnippetIndex => {
  const index = new SnippetIndex();
  index.add(defs);
  return index;
};

describe('snippet matching', () => {
  it('recognises Insert Snippet of trycatch as VS Code expands it (tab → the editor\'s two spaces)', () => {
    const m = indexOf(TRY_CATCH).match('try {\n  \n} catch (error) {\n  \n}', TS);
    assert.deepEqual(m, { name: 'Try-Catch Statement', from: 'extension vscode.typescript-basics', variableChars: 0, variables: [] });
  });

  it('indents the later lines by the insertion line\'s indentation, tabs or spaces alike', () => {
    const index = indexOf(TRY_CATCH);
    assert.ok(index.match('try {\n      \n    } catch (error) {\n      \n    }', { ...TS, lineIndent: '    ' }));
    assert.ok(index.match('try {\n\t\t\n\t} catch (error) {\n\t\t\n\t}', { ...TS, lineIndent: '\t', tabSize: 4 }));
    assert.ok(index.match('try {\n\t    \n\t} catch (error) {\n\t    \n\t}', { ...TS, lineIndent: '\t', tabSize: 4 }), 'spaces for the snippet\'s tab after a tab indent');
    assert.equal(index.match('try {\n  \n} catch (error) {\n  \n}', { ...TS, lineIndent: '    ' }), undefined, 'not indented as the insertion line is');
    assert.equal(index.match('try {\n    \n} catch (error) {\n    \n}', TS), undefined, 'four columns where the editor\'s tab is two');
  });

  it('accepts CRLF line breaks', () => {
    assert.ok(indexOf(TRY_CATCH).match('try {\r\n  \r\n} catch (error) {\r\n  \r\n}', TS));
  });

  it('fills mirrored placeholders with the first default of their number', () => {
    const index = indexOf(FOR_LOOP, PROP);
    assert.ok(index.match('for (let index = 0; index < array.length; index++) {\n  const element = array[index];\n  \n}', TS));
    assert.ok(index.match('\nprivate _value : string;\npublic get value() : string {\n  return this._value;\n}', TS));
    assert.equal(index.match('for (let i = 0; i < array.length; i++) {\n  const element = array[i];\n  \n}', TS), undefined, 'placeholders the person already changed are not defaults');
  });

  it('expands nested placeholders, choices (any of them) and escapes', () => {
    const defs: SnippetDef[] = [
      { name: 'nested', from: 'x', body: 'const ${1:name${2:Suffix}} = ${3:value};\n$0' },
      { name: 'choice', from: 'x', body: 'log.${1|info,warn,error|}("message");\n$0' },
      { name: 'escaped', from: 'x', body: 'price = \\$${1:amount} \\} done\n$0' },
    ];
    const index = indexOf(...defs);
    assert.equal(index.match('const nameSuffix = value;\n', TS)?.name, 'nested');
    assert.equal(index.match('log.warn("message");\n', TS)?.name, 'choice');
    assert.equal(index.match('log.error("message");\n', TS)?.name, 'choice');
    assert.equal(index.match('log.debug("message");\n', TS), undefined, 'not one of the choices');
    assert.equal(index.match('price = $amount } done\n', TS)?.name, 'escaped');
  });

  it('lets a variable or a transform match anything on its line, never a line break', () => {
    const defs: SnippetDef[] = [
      { name: 'header', from: 'x', body: '// File: $TM_FILENAME (${TM_LINE_NUMBER:0})\n// Copyright ${CURRENT_YEAR} the authors\n$0' },
      { name: 'upper', from: 'x', body: 'export const ${1:name} = "${1/(.*)/${1:/upcase}/}";' },
    ];
    const index = indexOf(...defs);
    assert.equal(index.match('// File: suggest.ts (7)\n// Copyright 2026 the authors\n', TS)?.name, 'header');
    assert.equal(index.match('// File: a\nb (7)\n// Copyright 2026 the authors\n', TS), undefined);
    assert.equal(index.match('export const name = "NAME";', TS)?.name, 'upper');
  });

  it('keeps a snippet to its languages', () => {
    assert.equal(indexOf(TRY_CATCH).match('try {\n  \n} catch (error) {\n  \n}', { ...TS, language: 'python' }), undefined);
    assert.ok(indexOf({ ...TRY_CATCH, languages: undefined }).match('try {\n  \n} catch (error) {\n  \n}', { ...TS, language: 'python' }));
  });

  it('does not match other text: a different body, extra lines, or what variables would have to carry', () => {
    const index = indexOf(TRY_CATCH, { name: 'only variables', from: 'x', body: '$CLIPBOARD\n$1' }, { name: 'wrapper', from: 'x', body: '/** note: $TM_SELECTED_TEXT */' });
    assert.equal(index.size, 2, 'a body of variables alone is not indexed');
    assert.equal(index.match('try {\n  doIt();\n} catch (err) {\n  log(err);\n}', TS), undefined);
    assert.equal(index.match('try {\n  \n} catch (error) {\n  \n}\n', TS), undefined, 'one line more');
    assert.equal(index.match('const a = 1;\nconst b = 2;', TS), undefined);
    assert.equal(index.match('/** note: x */', TS)?.name, 'wrapper');
    assert.equal(index.match('/** note: an agent wrote this whole comment about the code */', TS), undefined, 'the variable would carry more than the snippet fixes');
  });

  it('stays within its bounds', () => {
    const small = new SnippetIndex({ maxSnippets: 2, maxBodyChars: 60, maxTextChars: 40 });
    const taken = small.add([TRY_CATCH, { name: 'long', from: 'x', body: `// ${'x'.repeat(70)}` }, FOR_LOOP, PROP]);
    assert.equal(taken, 1, 'the long bodies are left out');
    assert.equal(small.size, 1);
    assert.ok(small.match('try {\n  \n} catch (error) {\n  \n}', TS));
    assert.equal(small.match(`try {\n  ${' '.repeat(40)}\n} catch (error) {\n  \n}`, TS), undefined, 'text longer than the bound is not looked up');
    const full = new SnippetIndex({ maxSnippets: 3, maxBodyChars: 8000, maxTextChars: 20_000 });
    const many = Array.from({ length: 10 }, (_, i) => ({ name: `s${i}`, from: 'x', body: `snippet number ${i};` }));
    assert.equal(full.add(many), 3);
    assert.equal(full.size, 3);
  });

  it('reads snippet files: JSON with comments and trailing commas, scopes, the older grouped form', () => {
    const json = parseJsonc(`{
      // a comment, and a body with "//" and "/*" inside its strings
      "Print": { "prefix": "p", "scope": "javascript, typescript", "body": ["console.log('//', \\"/*\\");", "$0",], },
      /* grouped */ "group": { "Inner": { "prefix": "i", "body": "inner()" } },
      "broken": { "prefix": "b" },
    }`);
    const defs = snippetsOfFile(json, 'your snippets (a.code-snippets)');
    assert.deepEqual(defs, [
      { name: 'Print', from: 'your snippets (a.code-snippets)', body: 'console.log(\'//\', "/*");\n$0', languages: ['javascript', 'typescript'] },
      { name: 'Inner', from: 'your snippets (a.code-snippets)', body: 'inner()' },
    ]);
    assert.deepEqual(snippetsOfFile(json, 'ext', 'go')[1].languages, ['go'], 'a contributed file\'s language wins');
  });

  it('makes a matched snippet at the cursor ide (likely), and only at the cursor', () => {
    const index = indexOf(TRY_CATCH);
    const text = 'try {\n  \n} catch (error) {\n  \n}';
    const snippet = () => index.match(text, TS);
    const at = classifyChange({ text, rangeLength: 0, at: 1, atCursor: true, snippet }, { externalPaste: 'ai' });
    assert.ok('ev' in at);
    assert.equal(at.ev.origin, 'ide');
    assert.equal(at.ev.confidence, 'likely');
    assert.match(at.ev.detail, /matched snippet "Try-Catch Statement" from extension vscode\.typescript-basics/);
    const away = classifyChange({ text, rangeLength: 0, at: 1, atCursor: false, snippet, visible: true }, { externalPaste: 'ai' });
    assert.ok('ev' in away);
    assert.notEqual(away.ev.origin, 'ide');
  });

  it('expands placeholders that refer to themselves or to each other, and bounds what references multiply', () => {
    // A reference to a placeholder being expanded renders empty inside it (exponential before: 17 s at six).
    assert.deepEqual(expandSnippet(parseSnippet('abcdefgh ${1:$1$1$1$1$1$1}')), [{ lit: 'abcdefgh ' }]);
    assert.deepEqual(expandSnippet(parseSnippet('abcdefgh ${1:x$2$2} ${2:y$1$1}')), [{ lit: 'abcdefgh ' }, { lit: 'x' }, { lit: 'y' }, { lit: 'y' }, { lit: ' ' }, { lit: 'y' }, { lit: 'x' }, { lit: 'x' }]);
    // Distinct numbers each referring to the one before four times: 4^12 pieces unbounded.
    let body = 'abcdefgh ${1:word}';
    for (let n = 2; n <= 12; n++) body += ` \${${n}:$${n - 1}$${n - 1}$${n - 1}$${n - 1}}`;
    assert.equal(expandSnippet(parseSnippet(body)), undefined, 'past the bounds: not matched at all');
    assert.equal(compileSnippet({ name: 'x', from: 'y', body }), undefined);
    const mutual = expandSnippet(parseSnippet('abcdefgh ${1:$2$2$2} ${2:$1$1$1} ${3:$1$2$3}'));
    assert.ok(mutual && mutual.length <= MAX_PIECES && mutual.reduce((n, p) => n + ('lit' in p ? p.lit.length : 0), 0) <= MAX_EXPANDED_CHARS);
    // Nesting deeper than the parser follows is text (3,000 levels overflowed the stack).
    assert.ok(compileSnippet({ name: 'x', from: 'y', body: 'abcdefgh ' + '${1:'.repeat(3000) + 'x' + '}'.repeat(3000) }));
    assert.ok(indexOf({ name: 'x', from: 'y', body: 'abcdefgh ${1:${2:${3:x}}}' }).match('abcdefgh x', TS), 'nesting within the bound expands');
  });

  it('matches without backtracking: variables before literal text against a long line that never ends in it', () => {
    for (const k of [3, 4, 8]) {
      const index = indexOf({ name: 'vars', from: 'x', body: Array.from({ length: k }, (_, i) => `$V${i}`).join(' ') + ' abcdef' });
      // 4.9 s (3 variables, 4,000 spaces) and 30 s (4 variables, 500) with the regular expression before.
      assert.equal(index.match('abcdef' + ' '.repeat(19_000) + 'X', TS), undefined);
      assert.equal(index.match('abcdef' + ' '.repeat(19_000), TS), undefined, 'the variables would carry more than the snippet fixes');
    }
    const index = indexOf({ name: 'vars', from: 'x', body: '$A $B call(${1|one,two,three|}, $C) abcdefgh' });
    assert.deepEqual(index.match('a b call(two, c) abcdefgh', TS), { name: 'vars', from: 'x', variableChars: 3, variables: [{ offset: 0, length: 1 }, { offset: 2, length: 1 }, { offset: 14, length: 1 }] });
    assert.equal(index.match('a b call(four, c) abcdefgh', TS), undefined);
    assert.equal(index.match('a b call(two, c) abcdefgh!', TS), undefined);
    const choices = indexOf({ name: 'alts', from: 'x', body: '$A ${1|x,xx,xxx|}${2|x,xx|}y abcdefgh' });
    assert.ok(choices.match('q xxxxy abcdefgh', TS));
    assert.equal(choices.match('q ' + 'x'.repeat(19_000) + ' abcdefgh', TS), undefined);
  });
});

describe('the snippet rule in an event', () => {
  const FOR_OF: SnippetDef = { name: 'For-Of Loop', from: 'extension vscode.typescript-basics', languages: ['typescript'], body: ['for (const ${1:element} of ${2:array}) {', '\t$TM_SELECTED_TEXT$0', '}'].join('\n') };
  const index = indexOf(TRY_CATCH, FOR_OF);
  const snap = (before: string, change: { rangeOffset: number; rangeLength: number; text: string }, extra: Partial<ChangeSnapshot>): ChangeSnapshot => {
    const after = before.slice(0, change.rangeOffset) + change.text + before.slice(change.rangeOffset + change.rangeLength);
    return {
      changes: [change], saving: false, chatSession: false, visible: true, cursors: [change.rangeOffset], now: 1e9,
      snippet: (c) => index.match(c.text, TS), lineOf: (o) => after.slice(0, o).split('\n').length - 1, text: () => after, ...extra,
    };
  };

  it('keeps the origin of a line Surround With wrapped; the snippet\'s own text is ide', () => {
    const aiLine = 'await save(db);';
    const ai = { origin: 'ai-completion', confidence: 'certain', detail: 'accepted', at: 0 } as const;
    const model = new SpanModel(aiLine.length + 1, [{ len: aiLine.length, ev: ai }, { len: 1, ev: null }]);
    const change = { rangeOffset: 0, rangeLength: aiLine.length, text: `try {\n  ${aiLine}\n} catch (error) {\n  \n}` };
    const m = index.match(change.text, TS);
    assert.deepEqual(m?.variables, [{ offset: change.text.indexOf('await'), length: aiLine.length }], 'the snippet matches, its variable taking the wrapped line');
    const s = snap(aiLine + '\n', change, { cursors: [aiLine.length], replaced: (c) => model.slice(c.rangeOffset, c.rangeLength) });
    model.apply(classifyEvent(s, { externalPaste: 'unknown' }, new EvidencePool()).edits);
    const start = change.text.indexOf('await');
    for (const o of [start, start + aiLine.length - 1]) assert.equal(model.runAt(o)?.ev?.origin, 'ai-completion');
    for (const o of [0, start - 1, start + aiLine.length, change.text.length - 1]) assert.equal(model.runAt(o)?.ev?.origin, 'ide');
    // Not knowing what was replaced, or a wrapped text of another length (re-indented lines): the rule stays out.
    const unknownReplaced = classifyEvent(snap(aiLine + '\n', change, { cursors: [aiLine.length] }), { externalPaste: 'unknown' }, new EvidencePool());
    assert.ok(unknownReplaced.edits[0].insert.every((r) => r.ev?.origin !== 'ide'));
    const longer = snap(aiLine + 'xx\n', { ...change, rangeLength: aiLine.length + 2 }, { cursors: [aiLine.length], replaced: () => [{ len: aiLine.length + 2, ev: ai }] });
    assert.ok(classifyEvent(longer, { externalPaste: 'unknown' }, new EvidencePool()).edits[0].insert.every((r) => r.ev?.origin !== 'ide'));
    // The prefix the person typed, replaced by the snippet's own text: the rule applies.
    const typed = { rangeOffset: 0, rangeLength: 'trycatch'.length, text: 'try {\n  \n} catch (error) {\n  \n}' };
    const { edits } = classifyEvent(snap('trycatch\n', typed, { cursors: [8] }), { externalPaste: 'unknown' }, new EvidencePool());
    assert.equal(edits[0].insert[0].ev?.origin, 'ide');
  });

  it('leaves an edit to a document no editor shows to the shape, at its remembered cursor', () => {
    const before = 'const items = load();\n\n';
    const change = { rangeOffset: before.length - 1, rangeLength: 0, text: 'for (const element of array) {\n  \n}' };
    const hidden = classifyEvent(snap(before, change, { visible: false }), { externalPaste: 'unknown' }, new EvidencePool());
    assert.notEqual(hidden.edits[0].insert[0].ev?.origin, 'ide');
    const shown = classifyEvent(snap(before, change, {}), { externalPaste: 'unknown' }, new EvidencePool());
    assert.equal(shown.edits[0].insert[0].ev?.origin, 'ide');
  });
});
