/** How far apart the close of a document and the open of its new name (rename, save-as) may be. */
export const CARRY_WINDOW_MS = 5_000;

/** How the matcher sees a document (an editor document in the extension, a plain object in tests). */
export interface CarryView<D> {
  isClosed(doc: D): boolean;
  /** The file name's extension: a rename or save-as keeps it; an unrelated file with the same text usually does not. */
  ext(doc: D): string;
  length(doc: D): number;
  text(doc: D): string;
  /** Whether the document already holds origins of its own (then nothing is carried onto it). */
  hasOrigins(doc: D): boolean;
}

interface Closed<M> {
  readonly ext: string;
  readonly text: string;
  readonly model: M;
  readonly at: number;
}

/**
 * Pairs a document that closed with one that opened a moment before or after
 * with the same text and extension (a rename or save-as), so the new one can
 * take over the old one's origins (`M`, its model).
 */
export class CarryMatcher<D, M> {
  private closed: Closed<M>[] = [];
  private opened: Array<{ readonly doc: D; readonly at: number }> = [];

  constructor(private readonly view: CarryView<D>) {}

  /** A document opened: the model of a closed document it takes over, else undefined (it is remembered). */
  didOpen(doc: D, now: number): M | undefined {
    const v = this.view;
    this.closed = this.closed.filter((c) => now - c.at < CARRY_WINDOW_MS);
    this.opened = this.opened.filter((o) => now - o.at < CARRY_WINDOW_MS && !v.isClosed(o.doc));
    const length = v.length(doc);
    const ext = v.ext(doc);
    const i = this.closed.findIndex((c) => c.ext === ext && c.text.length === length && c.text === v.text(doc));
    if (i >= 0) return this.closed.splice(i, 1)[0].model;
    this.opened.push({ doc, at: now });
    return undefined;
  }

  /** A document with origins closed: the document that opened and takes them over, else undefined (they are remembered). */
  didClose(doc: D, text: string, model: M, now: number): D | undefined {
    const v = this.view;
    const ext = v.ext(doc);
    const i = this.opened.findIndex(
      (o) => now - o.at < CARRY_WINDOW_MS && !v.isClosed(o.doc) && o.doc !== doc && v.ext(o.doc) === ext && !v.hasOrigins(o.doc) && v.text(o.doc) === text,
    );
    if (i >= 0) return this.opened.splice(i, 1)[0].doc;
    this.closed.push({ ext, text, model, at: now });
    return undefined;
  }
}

/** A path's extension (`.ts`, lower case), or the empty string when it has none. */
export function extensionOf(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot).toLowerCase() : '';
}
