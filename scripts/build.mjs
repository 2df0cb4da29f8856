// Bundles the extension and the CLI with esbuild. Flags:
//   --production  minified, no sourcemaps (what the VSIX ships)
//   --tests       also bundles test/unit/*.test.ts into out/unit/ for mocha
//   --bench       also bundles bench/*.bench.ts into out/bench/
//   --harness     also bundles the e2e tests, the accuracy benchmark and the demo
//                 (tools/harness/, shared) into out/harness/
import { build } from 'esbuild';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const { version } = JSON.parse(readFileSync('package.json', 'utf8'));

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node18',
  logLevel: 'warning',
  minify: production,
  sourcemap: production ? false : 'linked',
  define: { AI_PROVENANCE_VERSION: JSON.stringify(version) },
};

await build({ ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] });
await build({
  ...common,
  entryPoints: ['src/node/cli/main.ts'],
  outfile: 'dist/cli.js',
  banner: { js: '#!/usr/bin/env node' },
});

function entries(dir, suffix) {
  return readdirSync(dir).filter((f) => f.endsWith(suffix)).map((f) => join(dir, f));
}
if (args.has('--tests')) {
  await build({ ...common, minify: false, sourcemap: 'inline', entryPoints: entries('test/unit', '.test.ts'), outdir: 'out/unit', external: ['mocha'] });
}
if (args.has('--bench')) {
  await build({ ...common, minify: false, sourcemap: false, entryPoints: entries('bench', '.bench.ts'), outdir: 'out/bench' });
}
if (args.has('--harness')) {
  await build({
    ...common, minify: false, sourcemap: 'inline', packages: 'external',
    entryPoints: { e2e: 'test/e2e/run.ts', accuracy: 'test/accuracy/run.ts', demo: 'tools/demo/main.ts' },
    outdir: 'out/harness',
  });
}
