// What every e2e scenario gets: the run (steps, temp dir), the VSIXes to
// install, and where screenshots go.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { REPO_ROOT } from '../../tools/harness/paths';
import type { Run } from '../../tools/harness/runner';

export interface E2e { run: Run; vsixes: string[]; screenshots: Screenshots }

/** The repository every scenario starts from: one committed file. */
export const APP_REPO = { files: { 'src/app.js': '// app\n' } };

/**
 * Screenshots for the README: written to the run's artifacts (printed at the
 * end); copied over docs/images/ only when asked (`npm run screenshots`).
 */
export class Screenshots {
  private readonly taken: string[] = [];
  constructor(private readonly dir: string, private readonly updateDocs: boolean) {}

  /** Where the screenshot `name` (e.g. "gutter.png") goes: pass it to page/locator.screenshot. */
  path(name: string): string {
    fs.mkdirSync(this.dir, { recursive: true });
    const p = path.join(this.dir, name);
    this.taken.push(p);
    return p;
  }

  async take(page: Page, name: string, clip?: { x: number; y: number; width: number; height: number }): Promise<void> {
    await page.screenshot({ path: this.path(name), clip });
  }

  /** Lists what was taken, and refreshes docs/images/ when asked. Returns the lines to print. */
  publish(): string[] {
    const out: string[] = [];
    for (const p of this.taken.filter(fs.existsSync)) {
      if (this.updateDocs) {
        const dest = path.join(REPO_ROOT, 'docs', 'images', path.basename(p));
        fs.copyFileSync(p, dest);
        out.push(`screenshot: ${p} → ${path.relative(REPO_ROOT, dest)}`);
      } else {
        out.push(`screenshot: ${p}`);
      }
    }
    return out;
  }
}
