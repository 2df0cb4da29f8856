// Where things are: the repository root, Debian's Chromium, the built VSIX and CLI.
import fs from 'node:fs';
import path from 'node:path';

/** The repository root: the nearest folder above this file (or its bundle in out/) with our package.json. */
function findRepoRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && JSON.parse(fs.readFileSync(pkg, 'utf8')).name === 'ai-provenance') return dir;
    if (path.dirname(dir) === dir) throw new Error(`no ai-provenance package.json above ${__dirname}`);
  }
}

export const REPO_ROOT = findRepoRoot();
export const CHROMIUM = process.env.AI_PROVENANCE_CHROMIUM || '/usr/bin/chromium';
/** The project's CLI as `npm run package` builds it. */
export const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');
export const SETUP_SCRIPT = path.join(REPO_ROOT, 'tools', 'harness', 'setup.sh');

/** The extension's VSIX: $AI_PROVENANCE_VSIX, else the one `npm run package` wrote. Throws if it is missing. */
export function extensionVsix(): string {
  const { name, version } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
  const vsix = path.resolve(process.env.AI_PROVENANCE_VSIX || path.join(REPO_ROOT, `${name}-${version}.vsix`));
  if (!fs.existsSync(vsix)) throw new Error(`${vsix} does not exist: run \`npm run package\` first`);
  return vsix;
}
