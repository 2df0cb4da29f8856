// Debian's Chromium, driven by playwright-core (no browser download).
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CHROMIUM } from './paths';
import { chromiumChildren, killTreeSync, registerCleanup } from './processes';

export interface BrowserSession { browser: Browser; context: BrowserContext; page: Page }

/** Launches Chromium (headless unless E2E_HEADED=1) with one page that may use the clipboard. */
export async function launchBrowser({ headless = process.env.E2E_HEADED !== '1' } = {}): Promise<BrowserSession> {
  const { chromium } = await import('playwright-core');
  const before = new Set(chromiumChildren());
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless,
    // the harness handles signals (closes the browser AND code-server, prints the summary)
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  // playwright's Browser has no pid: find the chromium it spawned among our children
  const pids = chromiumChildren().filter((p) => !before.has(p));
  const unregister = registerCleanup(() => { for (const p of pids) killTreeSync(p); });
  browser.once('disconnected', unregister);
  const context = await browser.newContext({
    viewport: { width: 1400, height: 900 },
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  const page = await context.newPage();
  return { browser, context, page };
}

/** Keeps the last `max` console lines of the page (extension host console.log arrives as "[Extension Host] …"). */
export function collectConsole(page: Page, max = 400): string[] {
  const lines: string[] = [];
  const push = (s: string): void => { lines.push(s); if (lines.length > max) lines.shift(); };
  page.on('console', (m) => push(`[${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => push(`[pageerror] ${e.message}`));
  return lines;
}
