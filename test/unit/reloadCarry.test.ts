import { strict as assert } from 'node:assert';
import { committedLineRanges } from '../../src/core/baseline';
import { CARRY_WINDOW_MS, CarryMatcher, extensionOf } from '../../src/core/carry';
import type { CarryView } from '../../src/core/carry';
import type { Evidence } from '../../src/core/origin';
import { reloadCandidate, reloadEdits, reloadKind, uncertainEdits } from '../../src/core/reload';
import type { ReloadFacts } from '../../src/core/reload';
import { removedRuns } from '../../src/core/copyRecord';
import { SpanModel } from '../../src/core/spans';

const DISK = 'const a = 1;\nconst b = 2;\n';

function facts(after: string, extra: Partial<ReloadFacts> = {}, diskChanged = false): ReloadFacts {
  return {
    diskText: DISK,
    changes: [{ rangeOffset: 0, rangeLength: DISK.length, text: after }],
    onDisk: true,
    justCreated: false,
    edited: false,
    ownSave: false,
    dirty: false,
    diskChanged: () => diskChanged,
    diskPending: () => false,
    length: after.length,
    text: () => after,
    ...extra,
  };
}

describe('reloadKind', () => {
  const grown = DISK + 'const c = 3;\n';

  it('calls a change backed by a changed file on disk a reload', () => {
    assert.equal(reloadKind(facts(grown, {}, true)), 'external');
  });

  it('calls a change while a disk write is still being checked uncertain, never a reload (an auto-save echo)', () => {
    const cut = facts(DISK.slice(0, 5), { changes: [{ rangeOffset: 5, rangeLength: DISK.length - 5, text: '' }], diskPending: () => true });
    assert.equal(reloadKind(cut), 'uncertain');
    // A confirmed change on disk still wins.
    assert.equal(reloadKind({ ...facts(grown, {}, true), diskPending: () => true }), 'external');
  });

  it('asks the file itself: a write whose text the document now holds is a reload, our own save is not', () => {
    // The file holds what we knew (an auto-save's echo): an agent's change while the write is checked is an edit.
    assert.equal(reloadKind({ ...facts(grown, { edited: true }), diskPending: () => true, diskNow: () => DISK }), undefined);
    assert.equal(reloadKind({ ...facts(grown, { edited: true }, true), diskNow: () => DISK }), undefined);
    // A clean document whose file is unchanged: an edit.
    assert.equal(reloadKind({ ...facts(grown), diskNow: () => DISK }), undefined);
    // The document now holds the file's new text: a reload, even before our watcher reported the write.
    assert.equal(reloadKind({ ...facts(grown), diskNow: () => grown }), 'external');
    assert.equal(reloadKind({ ...facts(grown.replace(/\n/g, '\r\n')), diskNow: () => grown }), 'external');
    // Someone else wrote the file and this change is not its text: unknown, never guessed.
    assert.equal(reloadKind({ ...facts(grown, { edited: true }, true), diskNow: () => grown + 'x = 1\n' }), 'uncertain');
    // An auto-save of the text just before this change was being written as it came: our own write, an edit.
    const typed = DISK + 'const c';
    const snippet = { rangeOffset: typed.length, rangeLength: 0, text: ' = {\n  a: 1,\n};\n' };
    const after = typed + snippet.text;
    const during = { ...facts(after, { edited: true, ownSave: true, changes: [snippet] }), diskPending: () => true };
    assert.equal(reloadKind({ ...during, diskNow: () => typed }), undefined);
    assert.equal(reloadKind({ ...during, ownSave: false, diskNow: () => typed }), 'uncertain', 'no save of ours began: someone else wrote it');
    assert.equal(reloadKind({ ...during, diskNow: () => typed.slice(0, -1) }), 'uncertain', 'a partly written file is not the text before');
    assert.equal(reloadKind({ ...during, diskNow: () => typed.replace('a = 1', 'a = 9') }), 'uncertain', 'other text outside the change');
    const replace = { rangeOffset: 6, rangeLength: 1, text: 'alpha = [\n  1,\n]' };
    const replaced = DISK.slice(0, 6) + replace.text + DISK.slice(7);
    assert.equal(reloadKind({ ...facts(replaced, { edited: true, ownSave: true, changes: [replace] }), diskPending: () => true, diskNow: () => 'const x = 1;\nconst b = 2;\n' }), undefined);
    // A revert still needs our edits and the file's known text.
    assert.equal(reloadKind({ ...facts(DISK, { edited: true }), diskPending: () => true, diskNow: () => DISK }), 'revert');
  });

  it('never calls a change that came with unsaved changes a reload: an agent streaming edits while an auto-save writes (chat-visible)', () => {
    // The texts of a Go file as an agent streams three WorkspaceEdits into it, each inserting two lines at the end.
    const part = (n: number): string => `// streamed by the agent, part ${n}\nvar part${n} = ${n - 1}\n`;
    const v1 = DISK + part(1);
    const v2 = v1 + part(2);
    const v3 = v2 + part(3);
    const third = [{ rangeOffset: v2.length, rangeLength: 0, text: part(3) }];
    // The document was saved at v1 (known on disk). The browser's auto-save wrote v2; its write is reported by the
    // file watcher, its did-save not yet, when part 3 arrives, delivered with the document dirty (v2 unsaved).
    const during = { diskText: v1, changes: third, edited: true, ownSave: true, length: v3.length, text: () => v3, diskPending: () => true, diskNow: () => v2 };
    assert.equal(reloadKind({ ...facts(v3), ...during, dirty: true }), undefined, 'an edit, classified like any other');
    // Without the flag: the file holds the document as it was just before this change (v2, the auto-save's write),
    // so the change is an edit too (heldBefore); a file holding anything else still leaves it unknown.
    assert.equal(reloadKind({ ...facts(v3), ...during }), undefined);
    assert.equal(reloadKind({ ...facts(v3), ...during, ownSave: false }), 'uncertain', 'no save of ours began: not our write');
    assert.equal(reloadKind({ ...facts(v3), ...during, diskNow: () => v1 + part(4) }), 'uncertain');
    // The auto-save already wrote the very text the document holds after this change (the extension host lags):
    // the same text on both sides looks like a reload, but VS Code does not reload a dirty document.
    assert.equal(reloadKind({ ...facts(v3), ...during, diskNow: () => v3, dirty: true }), undefined);
    assert.equal(reloadKind({ ...facts(v3), ...during, diskNow: () => v3 }), 'external');
    // A real reload from disk comes with the document clean, as VS Code only reloads clean documents: still a
    // reload (the runner's rewrite in external-write; the e2e everyday test's outside write).
    assert.equal(reloadKind({ ...facts(grown, {}, true), diskNow: () => grown, dirty: false }), 'external');
  });

  it('never takes a clean, unedited document\'s reload for our own save: a second outside write that differs only inside the reloaded lines', () => {
    const D0 = 'a\nlet version = 1;\nb\n';
    const E1 = 'a\nlet version = 2;\nlet extra = true;\nb\n'; // another program's first write; VS Code reloads to it
    const E2 = 'a\nlet version = 3;\nb\n'; // its second write, already on disk when we read the file
    const change = { rangeOffset: 2, rangeLength: 'let version = 1;'.length, text: 'let version = 2;\nlet extra = true;' };
    const reload = { ...facts(E1, { diskText: D0, changes: [change] }, true), diskNow: () => E2 };
    assert.equal(reloadKind(reload), 'uncertain', 'the file holds what the document held before only by chance: nothing of ours was saved');
    assert.equal(reloadKind({ ...reload, edited: true }), 'uncertain', 'edits of ours, but no save of them began');
    assert.equal(reloadKind({ ...reload, edited: true, ownSave: true }), undefined, 'after edits of ours and a save begun, it is that save');
  });

  it('asks neither the watcher nor the file about a change that came with unsaved changes, and still sees a revert', () => {
    const ask = (): never => assert.fail('asked the disk');
    assert.equal(reloadKind(facts(grown, { edited: true, dirty: true, diskChanged: ask, diskPending: ask, diskNow: ask })), undefined);
    // Our edits brought the text back to what is on disk (the dirty flag the event delivers may be the one before it).
    assert.equal(reloadKind(facts(DISK, { edited: true, dirty: true, diskChanged: ask, diskPending: ask, diskNow: ask })), 'revert');
  });

  it('calls the text back to what is on disk after our edits a revert, and nothing without edits', () => {
    assert.equal(reloadKind(facts(DISK, { edited: true })), 'revert');
    assert.equal(reloadKind(facts(DISK, { edited: false })), undefined);
    assert.equal(reloadKind(facts(grown, { edited: true })), undefined);
  });

  it('never asks the disk about a keystroke, several changes, an untitled or just-created file', () => {
    const ask = (): boolean => assert.fail('asked the disk');
    assert.equal(reloadKind(facts('x', { changes: [{ rangeOffset: 3, rangeLength: 0, text: 'x' }], diskChanged: ask })), undefined);
    assert.equal(reloadKind(facts(grown, { changes: [{ rangeOffset: 0, rangeLength: 0, text: 'ab\n' }, { rangeOffset: 9, rangeLength: 0, text: 'cd\n' }], diskChanged: ask })), undefined);
    assert.equal(reloadKind(facts(grown, { onDisk: false, diskChanged: ask })), undefined);
    assert.equal(reloadKind(facts(grown, { justCreated: true, diskChanged: ask })), undefined);
    assert.equal(reloadKind(facts(grown, { diskText: undefined, diskChanged: ask })), undefined);
  });

  it('treats a short replacement of more than two characters as a candidate', () => {
    assert.equal(reloadCandidate([{ rangeOffset: 0, rangeLength: 2, text: 'ab' }]), false);
    assert.equal(reloadCandidate([{ rangeOffset: 0, rangeLength: 3, text: 'ab' }]), true);
    assert.equal(reloadCandidate([{ rangeOffset: 0, rangeLength: 0, text: 'abc' }]), true);
  });
});

describe('uncertainEdits (a change during a disk write nobody has checked yet)', () => {
  const ai: Evidence = { origin: 'ai-completion', confidence: 'certain', detail: 'accepted', at: 1 };
  const unknown: Evidence = { origin: 'unknown', confidence: 'unknown', detail: 'written on disk meanwhile', at: 2 };

  it('deletes what a cut removed and labels inserted text unknown', () => {
    const model = new SpanModel(DISK.length, [{ len: 13, ev: ai }, { len: DISK.length - 13, ev: null }]);
    model.apply(uncertainEdits([{ rangeOffset: 13, rangeLength: 0, text: 'x = 1;\n' }, { rangeOffset: 0, rangeLength: 13, text: '' }], unknown));
    assert.equal(model.length, DISK.length - 13 + 7);
    assert.equal(model.runAt(0)?.ev, unknown);
    assert.equal(model.runAt(8)?.ev, null);
  });

  it('a cut made as the browser auto-saves may take this path: what it removed must be read before, or the copy loses it', () => {
    // The file watcher reported a write (not checked yet) before the save itself was reported: the file
    // holds text that differs from the text last known on disk and from the text after the cut. (When it
    // holds the text just before the cut, the auto-save's own write, the cut is an edit: see reloadKind.)
    const saved = DISK + 'const c = 3;\n';
    const after = DISK;
    const cut = [{ rangeOffset: DISK.length, rangeLength: 13, text: '' }];
    const kind = reloadKind({ ...facts(after, { changes: cut, edited: true }), diskPending: () => true, diskNow: () => saved + '// more\n' });
    assert.equal(kind, 'uncertain');
    // The auto-save's own write: the cut is taken as it would be with no save in flight (here, back to the known text: a revert).
    const own = reloadKind({ ...facts(after, { changes: cut, edited: true, ownSave: true }), diskPending: () => true, diskNow: () => saved });
    assert.equal(own, reloadKind(facts(after, { changes: cut, edited: true })));
    const model = new SpanModel(saved.length, [{ len: DISK.length, ev: null }, { len: 13, ev: ai }]);
    const removed = removedRuns(cut, model);
    model.apply(uncertainEdits(cut, unknown));
    assert.deepEqual(removed, [[{ len: 13, ev: ai }]]);
    assert.equal(model.hasOrigins(), false);
  });
});

describe('reloadEdits', () => {
  it('labels only the new text of a reload; unchanged text keeps its origin', () => {
    const ai: Evidence = { origin: 'ai-chat', confidence: 'likely', detail: 'agent', at: 1 };
    const ext: Evidence = { origin: 'external', confidence: 'likely', detail: 'disk', at: 2 };
    const model = new SpanModel(DISK.length, [{ len: 13, ev: ai }, { len: DISK.length - 13, ev: null }]);
    const after = 'const a = 1;\nconst b = 22;\n';
    model.apply(reloadEdits(DISK, { rangeOffset: 0, rangeLength: DISK.length, text: after }, ext));
    assert.equal(model.length, after.length);
    assert.equal(model.runAt(0)?.ev, ai);
    assert.equal(model.runAt(12)?.ev, ai);
    assert.equal(model.runAt(after.indexOf('22') + 1)?.ev, ext);
    assert.equal(model.runAt(14)?.ev, null);
  });
});

interface Doc {
  name: string;
  text: string;
  closed?: boolean;
  origins?: boolean;
}
const view: CarryView<Doc> = {
  isClosed: (d) => !!d.closed,
  ext: (d) => extensionOf(d.name),
  length: (d) => d.text.length,
  text: (d) => d.text,
  hasOrigins: (d) => !!d.origins,
};

describe('CarryMatcher', () => {
  it('carries a closed document onto one opened just after with the same text and extension (save-as)', () => {
    const m = new CarryMatcher<Doc, string>(view);
    assert.equal(m.didClose({ name: '/a/old.ts', text: 'x = 1' }, 'x = 1', 'model', 100), undefined);
    assert.equal(m.didOpen({ name: '/a/other.js', text: 'x = 1' }, 200), undefined);
    assert.equal(m.didOpen({ name: '/b/new.ts', text: 'x = 1' }, 300), 'model');
    assert.equal(m.didOpen({ name: '/c/new.ts', text: 'x = 1' }, 400), undefined, 'carried once');
  });

  it('carries onto a document opened just before (rename), never onto one with origins of its own', () => {
    const m = new CarryMatcher<Doc, string>(view);
    const busy: Doc = { name: '/a/busy.ts', text: 'y', origins: true };
    const fresh: Doc = { name: '/a/new.ts', text: 'y' };
    m.didOpen(busy, 10);
    m.didOpen(fresh, 20);
    assert.equal(m.didClose({ name: '/a/old.ts', text: 'y' }, 'y', 'model', 30), fresh);
  });

  it('forgets what is older than the window, and documents closed meanwhile', () => {
    const m = new CarryMatcher<Doc, string>(view);
    m.didClose({ name: '/a/old.ts', text: 'z' }, 'z', 'model', 0);
    assert.equal(m.didOpen({ name: '/a/new.ts', text: 'z' }, CARRY_WINDOW_MS), undefined);
    const gone: Doc = { name: '/a/gone.ts', text: 'w' };
    m.didOpen(gone, 0);
    gone.closed = true;
    assert.equal(m.didClose({ name: '/a/old.ts', text: 'w' }, 'w', 'model', 10), undefined);
  });

  it('reads extensions without folders or dots in folder names', () => {
    assert.equal(extensionOf('/a.b/README'), '');
    assert.equal(extensionOf('/a/.gitignore'), '');
    assert.equal(extensionOf('/a/X.TS'), '.ts');
  });
});

describe('committedLineRanges', () => {
  it('finds the non-empty lines the commit already holds, with CRLF line breaks', () => {
    const head = 'one\r\ntwo\r\n\r\nthree\r\n';
    const text = 'one\r\nnew\r\ntwo\r\n\r\nthree\r\n';
    assert.deepEqual(committedLineRanges(head, text), [
      [0, 3],
      [10, 3],
      [17, 5],
    ]);
    assert.deepEqual(committedLineRanges('', 'a\nb'), []);
  });
});
