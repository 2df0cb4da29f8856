import { diffChars } from 'diff';
import type { EditShape } from './spans';

/** Bounds a character diff; past it, the whole block counts as replaced. */
const REMAP_TIMEOUT_MS = 200;
/** Blocks larger than this are not diffed by character (too slow to be worth it). */
const MAX_REMAP_CHARS = 2_000_000;

/**
 * The edits that turn `before` into `after`, as small as a character diff
 * finds them, in offsets of `before` and in ascending order. Used when
 * VS Code reports one large replacement (a reload from disk, a formatter or
 * a tool rewriting a block) so that text which did not change keeps the
 * origin it had instead of being relabelled.
 */
export function minimalEdits(before: string, after: string): EditShape[] {
  if (before === after) return [];
  // Trim the common prefix and suffix first: cheap, and most rewrites touch a little.
  let p = 0;
  const max = Math.min(before.length, after.length);
  while (p < max && before.charCodeAt(p) === after.charCodeAt(p)) p++;
  let s = 0;
  while (s < max - p && before.charCodeAt(before.length - 1 - s) === after.charCodeAt(after.length - 1 - s)) s++;
  const a = before.slice(p, before.length - s);
  const b = after.slice(p, after.length - s);
  const whole: EditShape[] = [{ offset: p, deleteLength: a.length, insertLength: b.length }];
  if (a.length === 0 || b.length === 0 || a.length + b.length > MAX_REMAP_CHARS) return whole;
  const parts = diffChars(a, b, { timeout: REMAP_TIMEOUT_MS });
  if (!parts) return whole;
  const out: EditShape[] = [];
  let offset = p;
  let pending: { offset: number; deleteLength: number; insertLength: number } | undefined;
  for (const part of parts) {
    const n = part.value.length;
    if (part.added || part.removed) {
      if (!pending) pending = { offset, deleteLength: 0, insertLength: 0 };
      if (part.added) pending.insertLength += n;
      else {
        pending.deleteLength += n;
        offset += n;
      }
    } else {
      if (pending) out.push(pending);
      pending = undefined;
      offset += n;
    }
  }
  if (pending) out.push(pending);
  return out;
}
