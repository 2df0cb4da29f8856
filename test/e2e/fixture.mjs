// Packages test/fixtures/ai-fixture as a VSIX.
//   node test/e2e/fixture.mjs [out.vsix]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from './codeServer.mjs';

export const FIXTURE_DIR = path.join(REPO_ROOT, 'test', 'fixtures', 'ai-fixture');
export const FIXTURE_ID = 'ai-provenance-tests.ai-fixture';

/** Runs the project's vsce in `dir` and returns the absolute VSIX path. */
export function packageVsix(dir, outPath) {
  const vsce = path.join(REPO_ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
  const out = path.resolve(outPath);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const r = spawnSync(
    process.execPath,
    [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '-o', out],
    { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 },
  );
  if (r.status !== 0 || !fs.existsSync(out)) {
    throw new Error(`vsce package in ${dir} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
  return out;
}

export function buildFixtureVsix(outDir) {
  return packageVsix(FIXTURE_DIR, path.join(outDir, 'ai-fixture.vsix'));
}

if (process.argv[1] && pathToFileURL(path.resolve(process.argv[1])).href === import.meta.url) {
  const out = packageVsix(FIXTURE_DIR, process.argv[2] || 'ai-fixture.vsix');
  console.log(out);
}
