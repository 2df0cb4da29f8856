// How an accuracy scenario drives the editor: the keyboard as a person uses
// it, every wait on a real condition (the document's version and text as the
// extension host has them, asked through the fixture; the ghost text; the copy
// in the oracle log), never a fixed sleep but a short "version holds still".
import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { ghostText, waitForGhostText } from '../../tools/harness/editorView';
import { type FixtureRpc, readOracleLog } from '../../tools/harness/fixture';
import { sleep, waitFor as waitForBase } from '../../tools/harness/wait';
import { focusEditor, openFile, runCommand, runCommandOpeningPicker, setClipboard } from '../../tools/harness/workbench';
import { COMPLETIONS } from './corpus';

/** A cursor, a selection (to endLine/endCharacter), or several. */
export interface Sel { line?: number; character?: number; endLine?: number; endCharacter?: number; selections?: Sel[] }
/** One edit of the scripted agent: positions, replaced by `text`. */
export interface AgentEdit { line: number; character: number; endLine?: number; endCharacter?: number; text: string }

/** How long an edit may take to reach the extension host (a loaded machine: load 10-17 on 2 cores took over 15 s). */
const EDIT_TIMEOUT_MS = 45_000;
/** And how much longer per typed character (the keys queue up behind a busy renderer). */
const TYPED_CHAR_MS = 100;

const waitFor = <T>(what: string, cond: () => Promise<T | null | undefined | false>, o: { timeout?: number } = {}): Promise<T> =>
  waitForBase<T>(what, cond, { interval: 50, timeout: EDIT_TIMEOUT_MS, ...o });

export class Driver {
  /** The files the scenario touched: saved and measured at its end. */
  readonly files = new Set<string>();
  /** The file the scenario last opened: select() acts on its editor. */
  private current = '';

  constructor(readonly page: Page, readonly rpc: FixtureRpc, readonly repo: string, private readonly oracleLog: string) {}

  uriOf(rel: string): string { return `file://${path.join(this.repo, rel)}`; }

  /** Opens a file in an editor (Quick Open) and focuses it. */
  async open(rel: string): Promise<void> {
    this.files.add(rel);
    this.current = rel;
    await openFile(this.page, rel);
    await waitFor(`${rel} to be the active editor`, async () => (await this.rpc.state(rel)).active === this.uriOf(rel));
  }

  /** The document's text as the extension host has it now. */
  async text(rel: string): Promise<string> {
    const t = (await this.rpc.state(rel)).docs[0]?.text;
    if (t === undefined) throw new Error(`${rel} is not open in the extension host`);
    return t;
  }

  async lines(rel: string): Promise<string[]> { return (await this.text(rel)).split('\n'); }

  async version(rel: string): Promise<number> { return (await this.rpc.state(rel)).docs[0]?.version ?? -1; }

  async waitText(rel: string, pred: (t: string) => boolean, what = 'the edit', timeout = EDIT_TIMEOUT_MS): Promise<string> {
    return waitFor(`${rel}: ${what}`, async () => {
      const t = (await this.rpc.state(rel)).docs[0]?.text;
      return t !== undefined && pred(t) ? t : null;
    }, { timeout });
  }

  async waitVersionAbove(rel: string, v: number, what: string, timeout = EDIT_TIMEOUT_MS): Promise<void> {
    await waitFor(`${rel}: ${what}`, async () => (await this.version(rel)) > v, { timeout });
  }

  /** 0-based number and text of the first line containing `needle`. */
  async lineOf(rel: string, needle: string): Promise<{ line: number; text: string }> {
    const lines = await this.lines(rel);
    const i = lines.findIndex((l) => l.includes(needle));
    if (i < 0) throw new Error(`${rel}: no line contains ${JSON.stringify(needle)}`);
    return { line: i, text: lines[i] };
  }

  /** Puts the cursor (or a selection, or several) in the active editor, which keeps focus, and checks it stuck. */
  async select(sel: Sel): Promise<void> {
    await focusEditor(this.page);
    // an editor that just opened may still restore its view state: set it until it holds
    const want = JSON.stringify((sel.selections || [sel]).map((x) => ({ line: x.line, character: x.character ?? 0, endLine: x.endLine ?? x.line, endCharacter: x.endLine === undefined ? (x.character ?? 0) : (x.endCharacter ?? 0) })));
    await waitFor('the selection to stick', async () => {
      const st = await this.rpc.state(this.current);
      if (st.active !== this.uriOf(this.current)) return false;
      if (JSON.stringify(st.selections) !== want) { await this.rpc.call('select', sel); return false; }
      await sleep(100);
      return JSON.stringify((await this.rpc.state(this.current)).selections) === want;
    });
  }

  async cursorAtEndOf(rel: string, needle: string): Promise<number> {
    const { line, text } = await this.lineOf(rel, needle);
    await this.select({ line, character: text.length });
    return line;
  }

  /** The cursor at the end of the document's last line. */
  async cursorAtEnd(rel: string): Promise<void> {
    const lines = await this.lines(rel);
    await this.select({ line: lines.length - 1, character: lines[lines.length - 1].length });
  }

  /**
   * Types text (one key per character; `\n` is Enter) and waits until the extension host has it. Each
   * line is in the document before the Enter after it: under load the keys queue up behind a busy
   * renderer, and an Enter that overtakes late suggestions or cursor updates lands elsewhere.
   */
  async type(rel: string, text: string, { delay = 8 } = {}): Promise<void> {
    const v = await this.version(rel);
    const parts = text.split('\n');
    for (let i = 0; i < parts.length; i++) {
      if (i > 0) await this.page.keyboard.press('Enter');
      if (!parts[i]) continue;
      await this.page.keyboard.type(parts[i], { delay });
      if (i < parts.length - 1 && parts[i].trim()) await this.waitTyped(rel, parts[i]);
    }
    await this.waitVersionAbove(rel, v, 'typing', EDIT_TIMEOUT_MS + TYPED_CHAR_MS * text.length);
    const last = parts.filter((p) => p.trim()).pop();
    if (last) await this.waitTyped(rel, last);
    await this.quiet(rel);
  }

  /** Waits until the document holds the end of a typed line (the keys may reach the extension host long after they were sent). */
  private async waitTyped(rel: string, line: string): Promise<void> {
    const end = line.trim().slice(-12);
    await this.waitText(rel, (t) => t.includes(end), 'the typed text', EDIT_TIMEOUT_MS + TYPED_CHAR_MS * line.length);
  }

  /** Presses a key and waits for the document to change. */
  async press(rel: string, key: string, what = key): Promise<void> {
    const v = await this.version(rel);
    await this.page.keyboard.press(key);
    await this.waitVersionAbove(rel, v, what);
    await this.quiet(rel);
  }

  /** Waits until the document's version holds still for a moment (the key queue drained). */
  async quiet(rel: string, ms = 150): Promise<void> {
    let v = await this.version(rel);
    let since = Date.now();
    await waitFor(`${rel} to settle`, async () => {
      const now = await this.version(rel);
      if (now !== v) { v = now; since = Date.now(); return false; }
      return Date.now() - since >= ms;
    }, { timeout: 20_000 });
  }

  /** Full accept of the fixture's completion NAME: cursor at the end of the `@ai:NAME` line, Enter, the ghost text, Tab. */
  async complete(rel: string, name: string, { accept = 'Tab' } = {}): Promise<void> {
    const text = COMPLETIONS[name];
    await this.showCompletion(rel, name);
    const v = await this.version(rel);
    await this.page.keyboard.press(accept);
    await this.waitVersionAbove(rel, v, `accept ${name}`);
    await this.waitText(rel, (t) => t.includes(text.split('\n').pop() ?? ''), `completion ${name} in the text`);
    await waitFor('the ghost text to go', async () => (await ghostText(this.page)) === '');
  }

  async showCompletion(rel: string, name: string): Promise<void> {
    const first = COMPLETIONS[name].split('\n')[0].trim().slice(0, 20);
    await this.cursorAtEndOf(rel, `@ai:${name}`);
    await this.press(rel, 'Enter');
    // Shown by itself after Enter; if not (a loaded machine drops or delays the request), asked for
    // again with the trigger key, a few times, each wait longer.
    for (let attempt = 0; ; attempt++) {
      try {
        await waitForGhostText(this.page, first, { timeout: attempt === 0 ? 6_000 : 15_000 * attempt, contains: true });
        return;
      } catch (e) {
        if (attempt >= 3) throw e;
        await this.page.keyboard.press('Alt+Backslash');
      }
    }
  }

  /** Pastes `text` from outside the editor (the system clipboard). */
  async pasteExternal(rel: string, text: string): Promise<void> {
    await setClipboard(this.page, text);
    await focusEditor(this.page);
    const v = await this.version(rel);
    await this.page.keyboard.press('Control+V');
    await this.waitVersionAbove(rel, v, 'paste');
    await this.waitText(rel, (t) => t.includes(text.split('\n').pop() ?? ''), 'the pasted text');
    await this.quiet(rel);
  }

  /** Ctrl+C / Ctrl+X of the current selection; waits for the fixture to log the copy. */
  async copy(rel: string, key = 'Control+C'): Promise<void> {
    const copies = (): number => readOracleLog(this.oracleLog).filter((e) => e.t === 'copy').length;
    const n = copies();
    await this.page.keyboard.press(key);
    await waitFor('the copy in the oracle log', async () => copies() > n);
    if (key === 'Control+X') await this.quiet(rel);
  }

  async pasteInternal(rel: string, expectLast?: string): Promise<void> {
    const v = await this.version(rel);
    await this.page.keyboard.press('Control+V');
    await this.waitVersionAbove(rel, v, 'paste');
    if (expectLast) await this.waitText(rel, (t) => t.includes(expectLast), 'the pasted text');
    await this.quiet(rel);
  }

  /**
   * A code action the person picks (`fn` drives it and waits for its edits): its edits are the person's
   * in the oracle whatever VS Code labels them (a refactoring's command edits through its extension's
   * `applyEdit`, labelled as an agent's would be). Marked in the oracle log around `fn`.
   */
  async asPerson(what: string, fn: () => Promise<void>): Promise<void> {
    const mark = (phase: 'start' | 'end'): void => fs.appendFileSync(this.oracleLog, `${JSON.stringify({ t: 'person', phase, what, uri: `file://${this.repo}/`, changes: [], at: Date.now() })}\n`);
    mark('start');
    try {
      await fn();
    } finally {
      mark('end');
    }
  }

  /** A chat-like WorkspaceEdit from the fixture (no UI). */
  async agentEdit(rel: string, edits: AgentEdit[]): Promise<void> {
    this.files.add(rel);
    await this.rpc.call('edit', { path: rel, edits });
  }

  /** Several WorkspaceEdits in a row: an agent streaming its changes. */
  async agentBurst(rel: string, steps: AgentEdit[]): Promise<void> {
    this.files.add(rel);
    await this.rpc.call('burst', { path: rel, steps });
  }

  /** A new file, as agents create them (createFile + insert). */
  async agentCreate(rel: string, text: string): Promise<void> {
    this.files.add(rel);
    await this.rpc.call('create', { path: rel, text });
  }

  /** Runs a palette command; with `rel`, waits for that document to change. */
  async command(title: string, rel?: string, what = title, timeout = 60_000): Promise<void> {
    const v = rel ? await this.version(rel) : 0;
    await runCommand(this.page, title);
    if (rel) {
      await this.waitVersionAbove(rel, v, what, timeout);
      await this.quiet(rel, 300);
    }
  }

  /** Format Document with its default Linux key (Ctrl+Shift+I), as a person would; waits for the edit. */
  async formatDocument(rel: string): Promise<void> {
    await focusEditor(this.page);
    const v = await this.version(rel);
    for (let attempt = 0; ; attempt++) {
      await this.page.keyboard.press('Control+Shift+I');
      try {
        await this.waitVersionAbove(rel, v, 'format', attempt === 0 ? 60_000 : 30_000);
        break;
      } catch (e) {
        if (attempt >= 1) throw e;
      }
    }
    await this.quiet(rel, 500);
  }

  /** Ctrl+Space until the suggest widget's focused row is `label`, then Tab. */
  async suggestAccept(rel: string, label: string): Promise<void> {
    await this.suggestion(label);
    await this.press(rel, 'Tab', 'accept suggestion');
  }

  /**
   * The suggest widget's row `label` (its focused row unless `focused` is false), once visible: with
   * `ask`, Ctrl+Space asks for it; without, quick suggestions are given a while to show it first.
   */
  async suggestion(label: string, { focused = true, ask = true } = {}): Promise<Locator> {
    const row = this.page.locator(`.editor-widget.suggest-widget .monaco-list-row${focused ? '.focused' : ''}`, { hasText: label }).first();
    for (let attempt = 0; ; attempt++) {
      if (ask || attempt > 0) await this.page.keyboard.press('Control+Space');
      try {
        await row.waitFor({ state: 'visible', timeout: attempt === 0 ? (ask ? 30_000 : 10_000) : 15_000 });
        return row;
      } catch (e) {
        if (attempt >= 2) throw e;
        await this.page.keyboard.press('Escape');
      }
    }
  }

  /** Find and Replace (Ctrl+H) with both boxes filled in, the replace box focused. */
  async findReplace(find: string, replacement: string): Promise<void> {
    await this.page.keyboard.press('Control+H');
    const findBox = this.page.locator('.editor-widget.find-widget .find-part textarea').first();
    const replaceBox = this.page.locator('.editor-widget.find-widget .replace-part textarea').first();
    await findBox.waitFor({ state: 'visible', timeout: 15_000 });
    await findBox.fill(find);
    await replaceBox.fill(replacement);
    await replaceBox.focus();
  }

  /** Rename Symbol (F2) on `word` in the first line holding `needle`; `renamed` says when every use changed. */
  async renameSymbol(rel: string, at: { needle: string; word: string }, newName: string, renamed: (t: string) => boolean): Promise<void> {
    const { line, text } = await this.lineOf(rel, at.needle);
    await this.select({ line, character: text.indexOf(at.word) + 1 });
    const v = await this.version(rel);
    await this.page.keyboard.press('F2');
    // the rename box appears once the language server answers; type only when it has focus
    await this.page.waitForFunction(() => !!document.activeElement?.closest('.rename-box'), null, { timeout: 60_000, polling: 100 });
    await this.page.keyboard.type(newName);
    await this.page.keyboard.press('Enter');
    await this.waitVersionAbove(rel, v, 'the rename', 60_000);
    await this.waitText(rel, renamed, `every ${at.word} renamed`, 30_000);
    await this.quiet(rel, 300);
  }

  /** Insert Snippet from the palette, picking `name`. */
  async insertSnippet(rel: string, name: string): Promise<void> {
    await runCommandOpeningPicker(this.page, 'Snippets: Insert Snippet');
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await waitFor('the snippet picker', async () => !(await input.inputValue()).startsWith('>'), { timeout: 10_000 });
    const v = await this.version(rel);
    await input.fill(name);
    await this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row.focused', { hasText: name }).waitFor({ state: 'visible', timeout: 15_000 });
    await this.page.keyboard.press('Enter');
    await this.waitVersionAbove(rel, v, 'the snippet');
    await this.quiet(rel);
    await this.page.keyboard.press('Escape');
  }
}
