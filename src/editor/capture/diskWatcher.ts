import { promises as fs } from 'node:fs';
import * as vscode from 'vscode';
import { markText } from '../../node/commit/mark';
import type { Evidence } from '../../core/origin';
import { hashLine, sameLines } from '../../core/ledger';
import { splitLines } from '../../core/lines';
import { readFileLedger, writeFileLedger } from '../../node/git/ledgerStore';
import { agentPending } from '../../node/agents/snapshots';
import type { Logger } from '../log';
import type { AgentSpoolWatcher } from './agentSpool';
import type { LedgerSync } from './ledgerSync';

/** Let an agent's own `ai-provenance mark` land first, and let bursts of writes settle. */
const SETTLE_MS = 2_000;
/** How long a closed file's change waits for an agent whose tool is still at work on it to record it. */
const AGENT_WAIT_MS = 30_000;
/** Larger files are left alone: their lines count as unknown either way. */
const MAX_BYTES = 8 * 1024 * 1024;

/**
 * Files written by another program while no editor has them open. For a
 * file the ledger knows, the lines that changed become `external` and the
 * rest keep their origins; a file the ledger does not know is left alone
 * (its lines are unknown either way).
 */
export class DiskWatcher implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly ledger: LedgerSync,
    private readonly spool: AgentSpoolWatcher,
    private readonly log: Logger,
  ) {
    const watcher = vscode.workspace.createFileSystemWatcher('**/*', true, false, true);
    this.disposables.push(watcher);
    watcher.onDidChange(this.changed, this, this.disposables);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const d of this.disposables) d.dispose();
  }

  private changed(uri: vscode.Uri, since = Date.now()): void {
    if (uri.scheme !== 'file') return;
    const key = uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.update(uri, since).catch((e: unknown) => this.log.error(`could not record the outside change of ${uri.fsPath}`, e));
      }, SETTLE_MS),
    );
  }

  private async update(uri: vscode.Uri, since: number): Promise<void> {
    // An open document follows its own reloads (the tracker re-diffs them).
    if (vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString())) return;
    const where = await this.ledger.locateLedger(uri);
    if (!where) return;
    // An agent's tool is writing it: its post-edit hook records the lines as the agent's. Look again later.
    await this.spool.drain();
    if (Date.now() - since < AGENT_WAIT_MS && (await agentPending(where, where.relPath, Date.now()))) {
      if (!this.timers.has(uri.toString())) this.changed(uri, since);
      return;
    }
    const known = await readFileLedger(where.ledgerDir, where.relPath);
    if (!known) return;
    let buf: Buffer;
    try {
      const stat = await fs.stat(uri.fsPath);
      if (!stat.isFile() || stat.size > MAX_BYTES) return;
      buf = await fs.readFile(uri.fsPath);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw e;
    }
    if (buf.subarray(0, 8000).includes(0)) return;
    const text = buf.toString('utf8');
    const hashes = splitLines(text).map(hashLine);
    // Our own write, or one the agent already marked: the ledger already describes this text.
    if (sameLines(known.lines, hashes)) return;
    const now = Date.now();
    const ev: Evidence = { origin: 'external', confidence: 'likely', detail: 'the file changed on disk while no editor had it open (written by another program)', at: now };
    const { ledger, marked } = markText(where.relPath, text, known, null, ev, now);
    // Opened (and perhaps saved) while we read: the editor's record is the newer one.
    if (vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString())) return;
    // An agent's hook recorded the file meanwhile: its record is the newer one, and names the writer.
    if ((await readFileLedger(where.ledgerDir, where.relPath))?.savedAt !== known.savedAt) return;
    await writeFileLedger(where.ledgerDir, ledger);
    this.log.info(`${where.relPath} changed on disk while closed: ${marked} line(s) recorded as external`);
  }
}
