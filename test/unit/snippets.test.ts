import { strict as assert } from 'node:assert';
import { classifyChange } from '../../src/core/classify';
import { parseJsonc } from '../../src/core/jsonc';
import { SnippetIndex, snippetsOfFile, type InsertionContext, type SnippetDef } from '../../src/core/snippets';

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
    assert.deepEqual(m, { name: 'Try-Catch Statement', from: 'extension vscode.typescript-basics' });
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
});
