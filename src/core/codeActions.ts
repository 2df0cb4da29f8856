/**
 * Code actions picked with the mouse (the lightbulb, right-click > Refactor… or Source Action…) run no
 * key we can wrap. What the editor does see is VS Code asking every code action provider, ours included,
 * what it offers: `Invoke` when a menu opens (the Refactor, Source Action and Quick Fix menus, a problem's
 * hover), `Automatic` as the cursor moves (what the lightbulb shows). These are the facts and the rule
 * that turn them into "a code action was on offer where this edit landed".
 */

/** One request VS Code made to our code action provider, in the document's offsets at the time. */
export interface CodeActionAsk {
  readonly at: number;
  /** A menu or hover asked (`CodeActionTriggerKind.Invoke`); else the lightbulb, as the cursor moved. */
  readonly invoked: boolean;
  /** The range asked about: the selection, or the cursor. */
  readonly start: number;
  readonly end: number;
  /** How many problems (diagnostics) the request carried: what quick fixes are offered for. */
  readonly diagnostics: number;
}

/** Why an edit with no key or command behind it is taken for a code action. */
export type CodeActionOffer = 'menu' | 'problem' | 'selection' | 'spread';

/**
 * How long after a menu opened its pick may still arrive: a person reads the list first. The first edit
 * to the document after it uses the request up (see the tracker), so typing after closing the menu
 * never keeps it alive.
 */
export const MENU_MS = 30_000;
/** How long the lightbulb's last request stands for what it shows (it is asked again whenever the cursor moves). */
export const LIGHTBULB_MS = 60_000;
/**
 * How long after an edit a code action explained its other edits may arrive: one WorkspaceEdit applied to
 * several documents (Move to a new file writes the new file right after the old one), a few events apart.
 */
export const SPREAD_MS = 2_000;

/** A change as the offer rule needs it: where it lands in the text before the event. */
interface Landing {
  readonly rangeOffset: number;
  readonly rangeLength: number;
}

/**
 * What code action was on offer in a document when an event changed it: a menu opened recently, the
 * lightbulb's last request carrying a problem, or its non-empty selection touched by a change.
 */
export function offerFor(asks: readonly CodeActionAsk[], changes: readonly Landing[], now: number): CodeActionOffer | undefined {
  const fresh = (a: CodeActionAsk, ms: number): boolean => now - a.at >= 0 && now - a.at <= ms;
  if (asks.some((a) => a.invoked && fresh(a, MENU_MS))) return 'menu';
  const bulb = lastOf(asks.filter((a) => !a.invoked));
  if (!bulb || !fresh(bulb, LIGHTBULB_MS)) return undefined;
  if (bulb.diagnostics > 0) return 'problem';
  const touches = (c: Landing): boolean => c.rangeOffset <= bulb.end && c.rangeOffset + c.rangeLength >= bulb.start;
  return bulb.end > bulb.start && changes.some(touches) ? 'selection' : undefined;
}

function lastOf(asks: readonly CodeActionAsk[]): CodeActionAsk | undefined {
  let last: CodeActionAsk | undefined;
  for (const a of asks) if (!last || a.at >= last.at) last = a;
  return last;
}

/** The evidence's words for each offer (stable strings: a burst of them merges into one run). */
export const OFFER_DETAIL: Readonly<Record<CodeActionOffer, string>> = {
  menu: 'an edit to a document whose code action menu (Refactor…, Source Action…, Quick Fix) was opened just before, with no keystroke or command we saw: a code action picked with the mouse, as far as we can tell',
  problem: 'an edit to a document whose lightbulb offered quick fixes for a problem at the cursor, with no keystroke or command we saw: a quick fix picked with the mouse, as far as we can tell',
  selection: 'an edit to the selection the lightbulb offered code actions for, with no keystroke or command we saw: a refactoring picked with the mouse, as far as we can tell',
  spread: 'an edit to another document within moments of a code action picked with the mouse (one refactoring writing several files, Move to a new file say), as far as we can tell',
};

/**
 * The requests worth keeping for a document after a new one: the last a menu made and the last the
 * lightbulb made (the lightbulb's earlier ones describe cursors that moved on).
 */
export function rememberAsk(asks: readonly CodeActionAsk[], ask: CodeActionAsk): CodeActionAsk[] {
  return [...asks.filter((a) => a.invoked !== ask.invoked), ask];
}
