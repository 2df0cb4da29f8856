import { strict as assert } from 'node:assert';
import { classifyChange, EvidencePool, INTENT_TTL_MS, isFresh, looksTyped, novelChars } from '../../src/core/classify';
import { sameModuloIndent } from '../../src/core/copyRecord';
import type { ChangeFact, Classification, Intent } from '../../src/core/classify';
import type { Evidence } from '../../src/core/origin';

const AI_OPTS = { externalPaste: 'ai' as const };
const evOf = (c: Classification): Evidence => {
  assert.ok('ev' in c, 'expected a single piece of evidence');
  return c.ev;
};
const fact = (text: string, extra: Partial<ChangeFact> = {}): ChangeFact => ({ text, rangeLength: 0, at: 1000, ...extra });

describe('classifyChange', () => {
  it('calls a single keystroke typed', () => {
    const e = evOf(classifyChange(fact('a'), AI_OPTS));
    assert.equal(e.origin, 'typed');
    assert.equal(e.confidence, 'likely');
  });

  it('calls Enter with auto-indent and auto-closed pairs typed', () => {
    assert.equal(evOf(classifyChange(fact('\n    '), AI_OPTS)).origin, 'typed');
    assert.equal(evOf(classifyChange(fact('()'), AI_OPTS)).origin, 'typed');
    assert.equal(evOf(classifyChange(fact('\r\n\t\t'), AI_OPTS)).origin, 'typed');
  });

  it('calls an intercepted inline accept ai-completion with certainty', () => {
    const intent: Intent = { kind: 'inline-accept', variant: 'full', at: 990 };
    const e = evOf(classifyChange(fact('const b = 2;\nconst c = 3;', { intent }), AI_OPTS));
    assert.equal(e.origin, 'ai-completion');
    assert.equal(e.confidence, 'certain');
    assert.match(e.detail, /inline suggestion/);
  });

  it('names a partial accept in the evidence', () => {
    const intent: Intent = { kind: 'inline-accept', variant: 'word', at: 990 };
    assert.match(evOf(classifyChange(fact('const', { intent }), AI_OPTS)).detail, /next word/);
  });

  it('calls an unstamped paste ai-paste by default, unknown when the setting says so', () => {
    const intent: Intent = { kind: 'paste', at: 990, text: 'a\nb\nc', stamped: null };
    assert.equal(evOf(classifyChange(fact('a\nb\nc', { intent }), AI_OPTS)).origin, 'ai-paste');
    const e = evOf(classifyChange(fact('a\nb\nc', { intent }), { externalPaste: 'unknown' }));
    assert.equal(e.origin, 'unknown');
    assert.equal(e.confidence, 'unknown');
  });

  it('lets a stamped paste inherit the copied runs', () => {
    const ai: Evidence = { origin: 'ai-completion', confidence: 'certain', detail: 'x', at: 1 };
    const runs = [
      { len: 2, ev: ai },
      { len: 1, ev: null },
    ];
    const intent: Intent = { kind: 'paste', at: 990, text: 'abc', stamped: runs };
    const c = classifyChange(fact('abc', { intent }), AI_OPTS);
    assert.ok('runs' in c);
    assert.equal(c.runs, runs);
  });

  it('matches a paste that auto-indent re-indented', () => {
    assert.equal(sameModuloIndent('a\n  b', '  a\n    b'), true);
    const intent: Intent = { kind: 'paste', at: 990, text: 'x = 1\ny = 2', stamped: null };
    assert.equal(evOf(classifyChange(fact('x = 1\n    y = 2', { intent }), AI_OPTS)).origin, 'ai-paste');
  });

  it('does not let a paste intent label different text', () => {
    const intent: Intent = { kind: 'paste', at: 990, text: 'pasted', stamped: null };
    assert.equal(evOf(classifyChange(fact('x', { intent }), AI_OPTS)).origin, 'typed');
  });

  it('shares one evidence object within a burst of similar edits, and starts a new one later', () => {
    const pool = new EvidencePool();
    const a = pool.intern({ origin: 'typed', confidence: 'likely', detail: 'd', at: 1000 });
    const b = pool.intern({ origin: 'typed', confidence: 'likely', detail: 'd', at: 2000 });
    const c = pool.intern({ origin: 'ai-chat', confidence: 'likely', detail: 'd', at: 2000 });
    const d = pool.intern({ origin: 'typed', confidence: 'likely', detail: 'd', at: 1000 + 61_000 });
    assert.equal(a, b);
    assert.notEqual(a, c);
    assert.notEqual(a, d);
  });

  it('calls an edit right after typing, near it or on one line, unknown: never AI (something reacting to the typing)', () => {
    const near = evOf(classifyChange(fact('function f() {\n  return 1;\n}', { visible: true, sinceTyping: 200, nearTyping: true }), AI_OPTS));
    assert.equal(near.origin, 'unknown');
    assert.equal(near.confidence, 'unknown');
    const renamedTag = evOf(classifyChange(fact('section', { visible: true, sinceTyping: 50, nearTyping: false }), AI_OPTS));
    assert.equal(renamedTag.origin, 'unknown');
  });

  it('calls a block of lines far from where the person just typed ai-chat', () => {
    const e = evOf(classifyChange(fact('export function g() {\n  return 2;\n}\n', { visible: true, sinceTyping: 100, nearTyping: false }), AI_OPTS));
    assert.equal(e.origin, 'ai-chat');
  });

  it('calls a larger edit away from the cursor, with no keystroke, click, command or paste before it, ai-chat, likely', () => {
    const e = evOf(classifyChange(fact('function f() {\n  return 1;\n}', { visible: true, sinceTyping: 1_500 }), AI_OPTS));
    assert.equal(e.origin, 'ai-chat');
    assert.equal(e.confidence, 'likely');
    assert.equal(evOf(classifyChange(fact('x = compute()\ny = x * 2', { visible: true }), AI_OPTS)).origin, 'ai-chat', 'never touched by the person');
  });

  it('calls a larger edit at the cursor by an unrecognised command unknown, never AI (a snippet from the palette)', () => {
    const e = evOf(classifyChange(fact('try {\n\t\n} catch (error) {\n\t\n}', { visible: true, sinceTyping: 4_000, atCursor: true }), AI_OPTS));
    assert.equal(e.origin, 'unknown');
    assert.match(e.detail, /at the cursor/);
  });

  it('calls a block next to a problem at the cursor ide, likely (a quick fix picked with the mouse); elsewhere it stays ai-chat', () => {
    const members = 'area(): number {\n    throw new Error("Method not implemented.");\n}';
    const e = evOf(classifyChange(fact(members, { visible: true, nearProblem: () => true }), AI_OPTS));
    assert.equal(e.origin, 'ide');
    assert.equal(e.confidence, 'likely');
    assert.equal(evOf(classifyChange(fact(members, { visible: true, nearProblem: () => false }), AI_OPTS)).origin, 'ai-chat');
    // A hidden document has no lightbulb: not asked.
    assert.equal(evOf(classifyChange(fact(members, { visible: false, nearProblem: () => assert.fail('asked') }), AI_OPTS)).origin, 'ai-chat');
  });

  it('calls the typed word replaced by one identifier at the cursor right after typing ide (IntelliSense by a commit character)', () => {
    const e = evOf(classifyChange(fact('computeGrandTotal', { rangeLength: 9, atCursor: true, sinceTyping: 40 }), AI_OPTS));
    assert.equal(e.origin, 'ide');
    // Not long after typing, not at the cursor, not replacing the typed word, or not one name: not this.
    assert.equal(evOf(classifyChange(fact('computeGrandTotal', { rangeLength: 9, atCursor: true, sinceTyping: 3_000 }), AI_OPTS)).origin, 'unknown');
    assert.equal(evOf(classifyChange(fact('computeGrandTotal', { rangeLength: 9, atCursor: false, sinceTyping: 40 }), AI_OPTS)).origin, 'unknown');
    assert.equal(evOf(classifyChange(fact('andTotal(a, b)', { rangeLength: 0, atCursor: true, sinceTyping: 40 }), AI_OPTS)).origin, 'unknown');
  });

  it('calls the word being typed replaced by one name at the cursor ide however long ago the person typed (a commit character or a click)', () => {
    const word = { rangeLength: 3, atCursor: true, replacesTypedWord: true };
    for (const text of ['counter', 'quantité', 'computeGrandTotal()']) {
      const e = evOf(classifyChange(fact(text, { ...word, sinceTyping: 60_000 }), AI_OPTS));
      assert.equal(e.origin, 'ide', text);
      assert.equal(e.confidence, 'likely');
      assert.match(e.detail, /IntelliSense/);
    }
    // Nothing typed recorded at all: the replaced word is what says it.
    assert.equal(evOf(classifyChange(fact('counter', word), AI_OPTS)).origin, 'ide');
    // More than one name, arguments, a statement, not at the cursor, or inserting without replacing: not this.
    for (const [text, extra] of [
      ['counter;', {}], ['compute(a, b)', {}], ['a.b', {}], ['const x = counter', {}], ['1counter', {}],
      ['counter', { atCursor: false }], ['counter', { rangeLength: 0 }], ['x'.repeat(81), {}],
    ] as const) {
      const e = evOf(classifyChange(fact(text, { ...word, sinceTyping: 60_000, ...extra }), AI_OPTS));
      assert.notEqual(e.origin, 'ide', text);
    }
    // Without the typed word, `name()` needs more than a keystroke just before.
    assert.equal(evOf(classifyChange(fact('computeGrandTotal()', { rangeLength: 9, atCursor: true, sinceTyping: 40 }), AI_OPTS)).origin, 'unknown');
  });

  it('never calls anything AI for replacing the typed word: even a multi-line edit there stays out of ai-chat', () => {
    const e = evOf(classifyChange(fact('counter(a,\n  b)', { rangeLength: 3, atCursor: true, replacesTypedWord: true, sinceTyping: 60_000 }), AI_OPTS));
    assert.equal(e.origin, 'unknown');
  });

  it('calls a block of new lines in a document no editor shows ai-chat, even right after typing elsewhere', () => {
    const e = evOf(classifyChange(fact('export const z = 1;\nexport const w = 2;\n', { visible: false, sinceTyping: 10 }), AI_OPTS));
    assert.equal(e.origin, 'ai-chat');
  });

  it('never calls what editor commands do AI: one-line edits, rewritten lines, copies of existing lines', () => {
    // Toggle Line Comment, Replace All across files, a quick fix picked with the mouse: one line.
    assert.equal(evOf(classifyChange(fact('// ', { visible: true }), AI_OPTS)).origin, 'unknown');
    assert.equal(evOf(classifyChange(fact('newName', { visible: false, rangeLength: 7 }), AI_OPTS)).origin, 'unknown');
    assert.equal(evOf(classifyChange(fact("import { x } from './x';\n", { visible: true }), AI_OPTS)).origin, 'unknown');
    // Move Lines, Sort Lines, Organize Imports: existing lines rewritten in place.
    const moved = evOf(classifyChange(fact('const b = 2;\nconst a = 1;\n', { visible: true, rangeLength: 26 }), AI_OPTS));
    assert.equal(moved.origin, 'unknown');
    assert.match(moved.detail, /rewritten in place/);
    // Copy Lines Down: lines that already exist in the file.
    const copied = evOf(classifyChange(fact('const a = 1;\nconst b = 2;\n', { visible: true, novelty: () => 0 }), AI_OPTS));
    assert.equal(copied.origin, 'unknown');
    assert.match(copied.detail, /already exist/);
  });

  it('counts a one-line change with the new block of the same WorkspaceEdit', () => {
    assert.equal(evOf(classifyChange(fact('func Hello(name string) {', { visible: true, rangeLength: 14, partOfBlockEdit: true }), AI_OPTS)).origin, 'ai-chat');
  });

  it('never lets an accept intent claim what a keystroke could have typed', () => {
    const intent: Intent = { kind: 'inline-accept', variant: 'full', at: 990 };
    assert.equal(evOf(classifyChange(fact('x', { intent }), AI_OPTS)).origin, 'typed');
    assert.equal(evOf(classifyChange(fact('()', { intent }), AI_OPTS)).origin, 'typed');
    assert.equal(evOf(classifyChange(fact('const b = 2;', { intent }), AI_OPTS)).origin, 'ai-completion');
  });

  it('calls a paste whose copy stamp outlived its origins a paste from the editor, not AI', () => {
    const intent: Intent = { kind: 'paste', at: 990, text: 'some text', stamped: null, stampLost: true };
    const e = evOf(classifyChange(fact('some text', { intent }), AI_OPTS));
    assert.equal(e.origin, 'paste');
  });

  it('measures new content: lines that appear elsewhere in the file do not count', () => {
    const doc = 'const a = 1;\nconst a = 1;\nbrand new line here;\n';
    assert.equal(novelChars(doc, 'const a = 1;\n'), 0);
    assert.equal(novelChars(doc, 'brand new line here;\n'), 'brandnewlinehere;'.length);
  });

  it('treats a chat editing session on the file as evidence of a chat edit', () => {
    const e = evOf(classifyChange(fact('let q = 2;', { visible: true, sinceTyping: 100, chatSession: true }), AI_OPTS));
    assert.equal(e.origin, 'ai-chat');
    assert.match(e.detail, /chat editing session/);
  });

  it('calls intercepted IDE commands ide, certain, whatever the text', () => {
    const intent: Intent = { kind: 'ide', what: 'renamed a symbol', at: 990, anyDocument: true };
    const e = evOf(classifyChange(fact('newName', { intent, visible: false }), AI_OPTS));
    assert.equal(e.origin, 'ide');
    assert.equal(e.confidence, 'certain');
    assert.match(e.detail, /renamed a symbol/);
  });

  it('calls edits during a save ide (format or code actions on save), never AI', () => {
    const e = evOf(classifyChange(fact('import { a } from "a";\n', { saving: true, visible: true }), AI_OPTS));
    assert.equal(e.origin, 'ide');
    assert.equal(e.confidence, 'likely');
  });

  it('calls white space of any length typed-like: it never decides a class', () => {
    assert.equal(looksTyped('\n\n    \t'), true);
    assert.equal(evOf(classifyChange(fact('\n\n        ', { visible: true }), AI_OPTS)).origin, 'typed');
  });

  it("trusts VS Code's own edit source when given", () => {
    const e = evOf(classifyChange(fact('abc', { editSource: { source: 'inlineCompletionAccept', metadata: { $extensionId: 'acme.ai' } } }), AI_OPTS));
    assert.equal(e.origin, 'ai-completion');
    assert.equal(e.tool, 'acme.ai');
    assert.equal(evOf(classifyChange(fact('long typed text', { editSource: { source: 'cursor', metadata: { kind: 'type' } } }), AI_OPTS)).origin, 'typed');
  });

  it('expires intents quickly', () => {
    const intent: Intent = { kind: 'inline-accept', variant: 'full', at: 0 };
    assert.ok(INTENT_TTL_MS['inline-accept'] <= 2000, 'an accept intent lives under two seconds');
    assert.equal(isFresh(intent, INTENT_TTL_MS['inline-accept']), true);
    assert.equal(isFresh(intent, INTENT_TTL_MS['inline-accept'] + 1), false);
    assert.equal(isFresh(intent, -5), false);
  });

  it('looksTyped rejects multi-character text', () => {
    assert.equal(looksTyped('abc'), false);
    assert.equal(looksTyped('\nfoo'), false);
  });
});
