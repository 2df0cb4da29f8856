import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { run } from './gitRepo';

/**
 * Counts git processes: `body` gets a PATH whose first `git` logs each start
 * and runs the real one. Returns the starts (their arguments), in order. A
 * count, not a timing.
 */
export function countGitStarts(cwd: string, body: (env: Record<string, string>) => void): string[] {
  const shim = mkdtempSync(path.join(os.tmpdir(), 'git-count-'));
  try {
    const real = run('sh', ['-c', 'command -v git'], cwd).stdout.trim();
    const log = path.join(shim, 'starts.log');
    writeFileSync(path.join(shim, 'git'), `#!/bin/sh\necho "$*" >> '${log}'\nexec '${real}' "$@"\n`, { mode: 0o755 });
    writeFileSync(log, '');
    body({ PATH: `${shim}${path.delimiter}${process.env.PATH ?? ''}` });
    return readFileSync(log, 'utf8').split('\n').filter((l) => l !== '');
  } finally {
    rmSync(shim, { recursive: true, force: true });
  }
}

/** The git subcommand of each start (`notes` of `--no-pager notes list`). */
export function gitSubcommands(starts: readonly string[]): string[] {
  return starts.map((s) => s.split(' ').find((w) => !w.startsWith('-') && !w.includes('=')) ?? s);
}
