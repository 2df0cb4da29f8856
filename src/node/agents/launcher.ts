import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { shQuote } from '../commit/install';
import { readIfExists, writeFileAtomic } from '../files';
import type { Runtime } from './install';
import { userStateDir } from './install';

/**
 * The launcher the agents' hooks call when they were set up from the editor.
 * The extension's CLI lives in a folder named after its version, which goes
 * away on every update; the launcher lives in the user's state folder, and
 * the extension rewrites it each time it starts, so it always runs the copy
 * of the CLI that is installed now. The agents' config files never change on
 * an update. It is named `ai-provenance`: the hook commands read as
 * `…/ai-provenance hook <agent>`, like the CLI's own.
 */

/** The line that marks the launcher as ours; a file without it is never overwritten. */
export const LAUNCHER_MARKER = 'ai-provenance launcher';

/** Where the launcher lives: `<state>/bin/ai-provenance`. */
export function launcherPath(env: NodeJS.ProcessEnv): string {
  return path.join(userStateDir(env), 'bin', 'ai-provenance');
}

/**
 * The launcher's text. `ELECTRON_RUN_AS_NODE=1`: in desktop VS Code the
 * runtime is the editor's own executable, which runs as plain Node only with
 * it. When the extension is gone it fails, and every hook command ends in
 * `|| true` (or Cline's fallback), so an agent is never blocked.
 */
export function launcherText(rt: Pick<Runtime, 'runtimePath' | 'cliPath'>): string {
  return [
    '#!/bin/sh',
    `# ${LAUNCHER_MARKER}: rewritten by the AI Provenance extension each time it starts, so that the`,
    '# agent hooks that call it run the copy of the extension installed now.',
    `ai_provenance_runtime=${shQuote(rt.runtimePath)}`,
    `ai_provenance_cli=${shQuote(rt.cliPath)}`,
    '[ -f "$ai_provenance_cli" ] || exit 1',
    'ELECTRON_RUN_AS_NODE=1 exec "$ai_provenance_runtime" "$ai_provenance_cli" "$@"',
    '',
  ].join('\n');
}

export type LauncherOutcome = 'written' | 'unchanged' | 'foreign';

/**
 * Points the launcher at `rt`: writes it when missing or different, never
 * over a file that is not ours. With `onlyIfPresent`, a missing launcher
 * stays missing (nobody set up hooks from the editor on this machine).
 */
export async function writeLauncher(env: NodeJS.ProcessEnv, rt: Pick<Runtime, 'runtimePath' | 'cliPath'>, onlyIfPresent = false): Promise<LauncherOutcome> {
  const file = launcherPath(env);
  const text = launcherText(rt);
  const now = await readIfExists(file, 'utf8');
  if (now === undefined && onlyIfPresent) return 'unchanged';
  if (now !== undefined && !now.includes(LAUNCHER_MARKER)) return 'foreign';
  if (now === text) return 'unchanged';
  await fs.mkdir(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, text, 0o755);
  return 'written';
}
