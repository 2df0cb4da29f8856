// A fresh workbench on a fresh repository: VSIXes installed into a fresh
// profile, code-server started, a browser page on the folder.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser, collectConsole } from './browser';
import { type CodeServer, installExtension, startCodeServer } from './codeServer';
import { FIXTURE_READY } from './fixture';
import { makeRepo, type RepoOptions } from './repo';
import type { Run } from './runner';
import type { Keybinding, Settings } from './settings';
import { openWorkbench } from './workbench';

export interface BringUpOptions {
  /** the folder of this workbench inside the run's temp dir */
  name: string;
  repo: RepoOptions;
  vsixes: string[];
  baseSettings?: Settings;
  settings?: Settings;
  keybindings?: Keybinding[];
  /** Environment of code-server and its extension host, on top of this process's (e.g. a HOME of the scenario's own). */
  env?: Record<string, string>;
}

export interface Workbench { root: string; repo: string; server: CodeServer; page: Page }

/** Brings a workbench up as three checked steps of `run`; `run.open` holds what to close. */
export async function bringUp(run: Run, o: BringUpOptions): Promise<Workbench> {
  const root = path.join(run.tmp, o.name);
  const repo = makeRepo(path.join(root, 'repo'), o.repo);
  const profile = { userDataDir: path.join(root, 'user-data'), extensionsDir: path.join(root, 'extensions') };
  await run.step('install extensions', async () => {
    for (const v of o.vsixes) run.log(`  ${installExtension(v, profile)}`);
  });
  const server = await run.step('start code-server', async () => {
    const s = await startCodeServer({ workspace: repo, ...profile, baseSettings: o.baseSettings, settings: o.settings, keybindings: o.keybindings, env: o.env });
    run.log(`  listening on ${s.url}`);
    return s;
  });
  run.open.server = server;
  const { browser, page } = await launchBrowser();
  run.open.browser = browser;
  run.open.page = page;
  run.open.consoleLines = collectConsole(page);
  await run.step('open workbench', () => openWorkbench(page, server.url, repo, { statusText: FIXTURE_READY }));
  return { root, repo, server, page };
}
