import { strict as assert } from 'node:assert';
import { classifyEvent } from '../../src/core/changeFacts';
import type { ChangeSnapshot, ContentChange } from '../../src/core/changeFacts';
import { EvidencePool } from '../../src/core/classify';
import { LIGHTBULB_MS, MENU_MS, OFFER_DETAIL, offerFor, rememberAsk, SPREAD_MS, type CodeActionAsk } from '../../src/core/codeActions';
import type { Evidence } from '../../src/core/origin';

const NOW = 100_000;
const ask = (over: Partial<CodeActionAsk> = {}): CodeActionAsk => ({ at: NOW - 1_000, invoked: false, start: 10, end: 10, diagnostics: 0, ...over });

/** An extracted function: the selection (offsets 40-80) replaced by a call, the function added far below. */
const EXTRACT: ContentChange[] = [
  { rangeOffset: 40, rangeLength: 40, text: '  newFunction();' },
  { rangeOffset: 400, rangeLength: 0, text: '\nfunction newFunction() {\n  console.log("one");\n  console.log("two");\n}\n' },
];
/** A new function's declaration, no cursor or typing near it. */
const FAR_BLOCK: ContentChange[] = [{ rangeOffset: 900, rangeLength: 0, text: '\nfunction compute(arg0: number): number {\n  throw new Error("Function not implemented.");\n}\n' }];

function snap(changes: ContentChange[], extra: Partial<ChangeSnapshot> = {}): ChangeSnapshot {
  const text = 'x'.repeat(2_000);
  return { changes, saving: false, chatSession: false, visible: true, cursors: [5], now: NOW, lineOf: (o) => Math.floor(o / 40), text: () => text, ...extra };
}

/** The evidence of each inserted run of an event. */
function origins(s: ChangeSnapshot): { evs: (Evidence | null)[]; codeAction?: string } {
  const r = classifyEvent(s, { externalPaste: 'ai' }, new EvidencePool());
  return { evs: r.edits.flatMap((e) => e.insert.map((run) => run.ev)), codeAction: r.codeAction };
}

describe('code actions on offer (offerFor)', () => {
  it('a menu opened (Invoke) offers for any edit to the document, for MENU_MS', () => {
    const menu = ask({ invoked: true, at: NOW - MENU_MS });
    assert.equal(offerFor([menu], FAR_BLOCK, NOW), 'menu');
    assert.equal(offerFor([{ ...menu, at: NOW - MENU_MS - 1 }], FAR_BLOCK, NOW), undefined);
    // a request from the future (clock skew) is no offer
    assert.equal(offerFor([{ ...menu, at: NOW + 5 }], FAR_BLOCK, NOW), undefined);
  });

  it("the lightbulb's last request offers when it carried a problem, wherever the edit lands", () => {
    assert.equal(offerFor([ask({ diagnostics: 1 })], FAR_BLOCK, NOW), 'problem');
    assert.equal(offerFor([ask({ diagnostics: 1, at: NOW - LIGHTBULB_MS - 1 })], FAR_BLOCK, NOW), undefined);
    // only the last one stands for what the lightbulb shows: the cursor moved off the problem since
    assert.equal(offerFor([ask({ diagnostics: 1, at: NOW - 2_000 }), ask({ at: NOW - 1_000 })], FAR_BLOCK, NOW), undefined);
  });

  it("the lightbulb's selection offers only to an event that touches it", () => {
    const sel = ask({ start: 40, end: 80 });
    assert.equal(offerFor([sel], EXTRACT, NOW), 'selection');
    assert.equal(offerFor([sel], FAR_BLOCK, NOW), undefined);
    // a cursor (empty range) with no problem offers nothing: the agent's edit at the cursor stays the agent's
    assert.equal(offerFor([ask({ start: 900, end: 900 })], FAR_BLOCK, NOW), undefined);
  });

  it('keeps one request of each trigger, the last', () => {
    let asks: CodeActionAsk[] = [];
    asks = rememberAsk(asks, ask({ at: 1 }));
    asks = rememberAsk(asks, ask({ at: 2, invoked: true }));
    asks = rememberAsk(asks, ask({ at: 3 }));
    assert.deepEqual(asks.map((a) => [a.at, a.invoked]), [[2, true], [3, false]]);
  });
});

describe('code actions picked with the mouse (classifyEvent)', () => {
  it('an extract picked from the Refactor menu is ide in both its changes, and lets other documents follow', () => {
    const r = origins(snap(EXTRACT, { codeActions: [ask({ invoked: true })] }));
    assert.deepEqual(r.evs.map((e) => [e?.origin, e?.confidence, e?.detail]), [['ide', 'likely', OFFER_DETAIL.menu], ['ide', 'likely', OFFER_DETAIL.menu]]);
    assert.equal(r.codeAction, 'menu');
  });

  it('the same edits with no request (an agent) stay an agent’s', () => {
    const r = origins(snap(FAR_BLOCK));
    assert.equal(r.evs[0]?.origin, 'ai-chat');
    assert.equal(r.codeAction, undefined);
    // the lightbulb at an empty cursor with no problem changes nothing
    assert.equal(origins(snap(FAR_BLOCK, { codeActions: [ask()] })).evs[0]?.origin, 'ai-chat');
  });

  it('a quick fix landing far below a problem at the cursor is ide', () => {
    const r = origins(snap(FAR_BLOCK, { codeActions: [ask({ diagnostics: 2 })] }));
    assert.equal(r.evs[0]?.origin, 'ide');
    assert.equal(r.evs[0]?.detail, OFFER_DETAIL.problem);
  });

  it("a new file written within SPREAD_MS of a code action's edit is ide even when no editor shows it", () => {
    const moved: ContentChange[] = [{ rangeOffset: 0, rangeLength: 0, text: 'export function other(): number {\n  const base = 40;\n  return base + 2;\n}\n' }];
    assert.equal(origins(snap(moved, { visible: false, sinceCodeAction: SPREAD_MS })).evs[0]?.detail, OFFER_DETAIL.spread);
    assert.equal(origins(snap(moved, { visible: false, sinceCodeAction: SPREAD_MS + 1 })).evs[0]?.origin, 'ai-chat');
    // a spread edit never renews the spread (an agent's stream of edits does not ride on one refactoring)
    assert.equal(origins(snap(moved, { visible: false, sinceCodeAction: 10 })).codeAction, 'spread');
  });

  it('a keystroke where the lightbulb shows stays typed and lets no other document follow', () => {
    const r = origins(snap([{ rangeOffset: 12, rangeLength: 0, text: 'a' }], { codeActions: [ask({ diagnostics: 1 })] }));
    assert.equal(r.evs[0]?.origin, 'typed');
    assert.equal(r.codeAction, undefined);
    // a larger deletion (Move to a new file takes the function out) does
    assert.equal(origins(snap([{ rangeOffset: 100, rangeLength: 80, text: '' }], { codeActions: [ask({ invoked: true })] })).codeAction, 'menu');
  });

  it('a command or paste we saw still decides first', () => {
    const intent = { kind: 'paste' as const, at: NOW - 10, text: FAR_BLOCK[0].text, stamped: null };
    const r = origins(snap(FAR_BLOCK, { intent, codeActions: [ask({ invoked: true })] }));
    assert.equal(r.evs[0]?.origin, 'ai-paste');
  });
});
