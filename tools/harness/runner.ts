// One run of the e2e tests or the accuracy benchmark: its temp and artifact
// dirs, checked steps, what is open (code-server, browser), a hard timeout,
// SIGINT/SIGTERM, and the teardown that always stops everything it started.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { CodeServer } from './codeServer';
import { runCleanupsSync } from './processes';
import { type Log, makeLog, secondsSince, sleep } from './wait';

/** A step failed (already counted and logged): the scenario stops. */
export class StepFailed extends Error {}

/** What is open now, closed by `closeAll`. */
export interface Opened { server?: CodeServer; browser?: Browser; page?: Page; consoleLines: string[] }

export interface RunOptions {
  /** short name: log prefix and temp dir name (`ai-provenance-<name>-…`) */
  name: string;
  timeoutMs: number;
  /** keep the whole temp dir, not only artifacts/ */
  keep: boolean;
  /** Prints the run's last line and returns the exit code, given the code the run ended with. */
  summary?: (code: number) => number;
}

export class Run {
  readonly t0 = Date.now();
  readonly log: Log;
  /** Everything of the run: repositories, profiles, logs. Removed at the end unless kept or failed. */
  readonly tmp: string;
  /** Screenshots and failure records: always kept, printed at the end. */
  readonly artifacts: string;
  readonly counts = { passed: 0, failed: 0 };
  readonly open: Opened = { consoleLines: [] };
  /** Set on a hard timeout or a signal: we are tearing down, later errors are consequences. */
  aborted = false;
  private finished = false;

  constructor(private readonly opts: RunOptions) {
    this.log = makeLog(opts.name);
    this.tmp = fs.mkdtempSync(path.join(os.tmpdir(), `ai-provenance-${opts.name}-`));
    this.artifacts = path.join(this.tmp, 'artifacts');
    fs.mkdirSync(this.artifacts, { recursive: true });
  }

  since(): string { return secondsSince(this.t0); }

  /** One checked step: logs, counts, and on failure saves a screenshot and the console lines, then throws StepFailed. */
  async step<T>(name: string, fn: () => Promise<T>): Promise<T> {
    this.log(`▶ ${name}  [${this.since()}]`);
    const t = Date.now();
    try {
      const r = await fn();
      this.counts.passed++;
      this.log(`  ✔ ${name} (${Date.now() - t} ms)`);
      return r;
    } catch (err) {
      if (this.aborted) throw new StepFailed(name); // timeout/signal already counted; the page was closed under us
      this.counts.failed++;
      this.log(`  ✘ ${name} (${Date.now() - t} ms)\n${(err as Error)?.stack || err}`);
      await this.saveFailureArtifacts(name);
      throw new StepFailed(name);
    }
  }

  /** A screenshot of the page, the last console lines and code-server's output, named after `what`. */
  async saveFailureArtifacts(what: string): Promise<void> {
    const base = path.join(this.artifacts, `FAILED-${what.replace(/[^a-z0-9]+/gi, '-').toLowerCase().slice(0, 60)}`);
    try {
      if (this.open.page) { await this.open.page.screenshot({ path: `${base}.png`, timeout: 10_000 }); this.log(`  screenshot: ${base}.png`); }
    } catch (e) { this.log(`  (no screenshot: ${(e as Error).message})`); }
    try { fs.writeFileSync(`${base}.console.txt`, this.open.consoleLines.slice(-200).join('\n') + '\n'); } catch { /* ignore */ }
    try { if (this.open.server) fs.writeFileSync(`${base}.code-server.txt`, this.open.server.output()); } catch { /* ignore */ }
    this.log(`  console lines and code-server output: ${base}.*.txt`);
  }

  /** Closes the browser and stops code-server (each at most once). */
  async closeAll(): Promise<void> {
    const { browser, server } = this.open;
    this.open.page = undefined; this.open.browser = undefined; this.open.server = undefined;
    if (browser) await Promise.race([browser.close().catch(() => {}), sleep(10_000)]);
    if (server) await server.stop();
  }

  /**
   * Runs `main` (which returns the exit code) under the hard timeout and the
   * signal handlers; always closes what is open, then exits the process.
   */
  execute(main: () => Promise<number>): void {
    this.log(`temp dir: ${this.tmp}`);
    const hardTimer = setTimeout(() => { void this.abort(`HARD TIMEOUT after ${this.opts.timeoutMs} ms`, 1, true); }, this.opts.timeoutMs);
    for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => { void this.abort(`${sig}: stopping`, 130, false); });
    main().then(
      async (code) => { if (this.aborted) return; clearTimeout(hardTimer); await this.closeAll(); this.finish(code); },
      async (err) => {
        if (this.aborted) return; // the timeout/signal handler finishes
        clearTimeout(hardTimer);
        if (!(err instanceof StepFailed)) { this.counts.failed++; this.log((err as Error)?.stack || err); await this.saveFailureArtifacts('main'); }
        await this.closeAll();
        this.finish(1);
      },
    );
  }

  private async abort(why: string, code: number, artifacts: boolean): Promise<void> {
    this.log(why);
    this.counts.failed++;
    this.aborted = true;
    if (artifacts) await Promise.race([this.saveFailureArtifacts('hard-timeout'), sleep(15_000)]);
    await Promise.race([this.closeAll(), sleep(15_000)]);
    runCleanupsSync();
    this.finish(code);
  }

  private finish(code: number): void {
    if (this.finished) return;
    this.finished = true;
    const exit = this.opts.summary ? this.opts.summary(code) : code;
    if (!this.opts.keep && exit === 0) {
      for (const e of fs.readdirSync(this.tmp)) if (e !== 'artifacts') fs.rmSync(path.join(this.tmp, e), { recursive: true, force: true });
    }
    this.log(`done in ${this.since()}; artifacts in ${this.artifacts}${this.opts.keep || exit ? ` (temp dir ${this.tmp} kept)` : ''}`);
    process.exit(exit);
  }
}
