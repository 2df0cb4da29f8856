import { strict as assert } from 'node:assert';
import { classifyChange, INTENT_TTL_MS, isFresh, looksTyped, sameModuloIndent } from '../../src/core/classify';
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

  it('calls a large edit with no intent unknown, never AI', () => {
    const e = evOf(classifyChange(fact('function f() {\n  return 1;\n}'), AI_OPTS));
    assert.equal(e.origin, 'unknown');
  });

  it("trusts VS Code's own edit source when given", () => {
    const e = evOf(classifyChange(fact('abc', { editSource: { source: 'inlineCompletionAccept', metadata: { $extensionId: 'acme.ai' } } }), AI_OPTS));
    assert.equal(e.origin, 'ai-completion');
    assert.equal(e.tool, 'acme.ai');
    assert.equal(evOf(classifyChange(fact('long typed text', { editSource: { source: 'cursor', metadata: { kind: 'type' } } }), AI_OPTS)).origin, 'typed');
  });

  it('expires intents quickly', () => {
    const intent: Intent = { kind: 'inline-accept', variant: 'full', at: 0 };
    assert.equal(isFresh(intent, INTENT_TTL_MS['inline-accept']), true);
    assert.equal(isFresh(intent, INTENT_TTL_MS['inline-accept'] + 1), false);
    assert.equal(isFresh(intent, -5), false);
  });

  it('looksTyped rejects multi-character text', () => {
    assert.equal(looksTyped('abc'), false);
    assert.equal(looksTyped('\nfoo'), false);
  });
});
