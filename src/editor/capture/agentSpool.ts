import { existsSync, watch } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import type * as vscode from 'vscode';
import { drainAgentSpool, spoolDir } from '../../node/agents/spool';
import type { Logger } from '../log';

/** How long one drain in the extension host may run before it leaves the rest for the next. */
const DRAIN_MS = 5_000;
/** Until an agent hook first spools a call, look this often for the spool folder. */
const LOOK_MS = 10_000;

/**
 * Records the agent hook calls the launcher's fast path spooled
 * (src/node/agents/spool.ts) as soon as they land, in this process: the
 * editor shows an agent's lines when its write lands, without waiting for
 * the Node process the launcher starts in the background. Whoever reads
 * agent records (the disk watcher) drains first through {@link drain}.
 */
export class AgentSpoolWatcher implements vscode.Disposable {
  private readonly dir = spoolDir(process.env);
  private watcher: FSWatcher | undefined;
  private look: NodeJS.Timeout | undefined;
  /** The drain that will start once the one at work ends; calls meanwhile share it. */
  private queued: Promise<void> | undefined;
  private tail: Promise<void> = Promise.resolve();
  private disposed = false;

  constructor(private readonly log: Logger) {
    this.watchWhenThere();
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.look);
    this.watcher?.close();
  }

  /** Runs what is in the spool now; resolves once a drain that started after this call has ended. */
  drain(): Promise<void> {
    if (this.disposed) return Promise.resolve();
    if (!this.queued) {
      const run = this.tail.then(() => {
        this.queued = undefined;
        return this.runOnce();
      });
      this.queued = run;
      this.tail = run;
    }
    return this.queued;
  }

  private async runOnce(): Promise<void> {
    const n = await drainAgentSpool(process.env, DRAIN_MS, true);
    if (n > 0) this.log.info(`agent hooks: recorded ${n} spooled call${n === 1 ? '' : 's'}`);
  }

  private watchWhenThere(): void {
    if (this.disposed) return;
    if (!existsSync(this.dir)) {
      this.look = setTimeout(() => this.watchWhenThere(), LOOK_MS);
      this.look.unref();
      return;
    }
    try {
      this.watcher = watch(this.dir, () => void this.drain());
      this.watcher.on('error', (e) => this.log.warn(`agent hooks: stopped watching ${this.dir}: ${e.message}`));
    } catch (e) {
      this.log.warn(`agent hooks: cannot watch ${this.dir}: ${(e as Error).message}`);
    }
    void this.drain();
  }
}
