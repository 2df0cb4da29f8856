// Accuracy benchmark:  npm run bench:accuracy
//
// Runs a scripted corpus of editing scenarios in code-server (VS Code 1.139.1)
// with VS Code's default editor settings (the profile changes only what a
// headless run needs) and `provenance.useEditSourceApi` off, and compares the extension's
// per-line classes (its ledger, written on save) with an oracle built from
// VS Code's own edit labels (`detailedReason`, logged by the fixture
// extension). See docs/accuracy.md.
//
// Env:
//   AI_PROVENANCE_VSIX   the extension's VSIX (default: ai-provenance-<version>.vsix in the repo root)
//   ACCURACY_ONLY        comma-separated scenario names to run (default: all)
//   ACCURACY_KEEP=1      keep the temp dir (repo, oracle log, ledgers)
//   ACCURACY_DETAILS=1   print every misclassified line (default: the first 15 per scenario)
//   ACCURACY_TIMEOUT_MS  hard timeout (default 15 min)
//
// Progress on stderr; the tables on stdout (per scenario, with whether it
// passed, and per channel), then `scenarios: passed=P/N …` and the last line
// `accuracy: lines=N correct=P% false-ai=K missed-ai=M profile=default`.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { ensureSetup } from '../../tools/harness/codeServer';
import { FixtureRpc, buildFixtureVsix, readOracleLog } from '../../tools/harness/fixture';
import { extensionVsix } from '../../tools/harness/paths';
import { Run } from '../../tools/harness/runner';
import { bringUp } from '../../tools/harness/session';
import { BASE_FILES, COMPLETIONS } from './corpus';
import { Driver } from './driver';
import { type ScenarioResult, compare, pct, printDetails, printLabels, printTable, saveAndCollect } from './measure';
import { replay } from './oracle';
import { SCENARIOS, type Scenario } from './scenarios';
import { HEADLESS_SETTINGS } from '../../tools/harness/settings';

const ONLY = process.env.ACCURACY_ONLY ? new Set(process.env.ACCURACY_ONLY.split(',').map((s) => s.trim())) : null;
const run = new Run({ name: 'accuracy', timeoutMs: Number(process.env.ACCURACY_TIMEOUT_MS) || 15 * 60_000, keep: process.env.ACCURACY_KEEP === '1' });
const ORACLE_LOG = path.join(run.tmp, 'oracle.jsonl');
const rpc = new FixtureRpc(path.join(run.tmp, 'rpc'));

/** The repository: every scenario's files, and a tsconfig so that the TypeScript server answers for JS too. */
const REPO = {
  files: { ...BASE_FILES, 'tsconfig.json': JSON.stringify({ compilerOptions: { strict: false, target: 'es2020', module: 'esnext', allowJs: true } }, null, 2) + '\n' },
  user: { name: 'Accuracy Bench', email: 'bench@example.invalid' },
  message: 'base',
};

/**
 * VS Code's defaults for every editor setting (auto-closing pairs and quotes,
 * quick suggestions, auto-indent on paste…): the profile is HEADLESS_SETTINGS
 * (telemetry off, no welcome page, no Chat view taking focus) plus the
 * extension's and the fixture's own settings.
 */
const PROFILE = 'default';
const SETTINGS = {
  'provenance.useEditSourceApi': false,
  'provenance.commitHook': 'never',
  'provenance.externalPaste': 'ai',
  'aiFixture.logFile': ORACLE_LOG,
  'aiFixture.logEvents': true,
  'aiFixture.rpcDir': rpc.dir,
  'aiFixture.completions': COMPLETIONS,
};
const KEYBINDINGS = [
  // a user key for the extension's recorded "accept next line" (it binds none by default)
  { key: 'ctrl+alt+end', command: 'provenance.acceptInlineSuggestionLine', when: 'editorTextFocus && !editorReadonly && inlineSuggestionVisible' },
];

/** Runs one scenario, then saves its files and collects their ledgers; a failure is a problem of its row, not the end. */
async function runScenario(sc: Scenario, page: Page, repo: string): Promise<ScenarioResult> {
  const t = Date.now();
  run.log(`▶ ${sc.name}  [${run.since()}]`);
  const c = new Driver(page, rpc, repo, ORACLE_LOG);
  const problems: string[] = [];
  try {
    await sc.run(c);
  } catch (err) {
    problems.push(`scenario failed: ${(err as Error)?.message?.split('\n')[0]}`);
    run.log(`  ✘ ${sc.name}: ${(err as Error)?.stack || err}`);
    await run.saveFailureArtifacts(sc.name);
    await page.keyboard.press('Escape').catch(() => {});
  }
  let saved = new Map();
  try {
    saved = await saveAndCollect(rpc, repo, c.files, run.log);
  } catch (err) {
    problems.push(`save failed: ${(err as Error)?.message?.split('\n')[0]}`);
  }
  run.log(`  ${sc.name} done in ${((Date.now() - t) / 1000).toFixed(1)}s`);
  return { name: sc.name, channel: sc.channel, problems, saved, ms: Date.now() - t };
}

async function main(): Promise<number> {
  run.log(`code-server in ${ensureSetup()}`);
  const vsixes = [buildFixtureVsix(path.join(run.tmp, 'vsix')), extensionVsix()];
  const tStart = Date.now();
  const { repo, page } = await bringUp(run, { name: 'bench', repo: REPO, vsixes, baseSettings: HEADLESS_SETTINGS, settings: SETTINGS, keybindings: KEYBINDINGS });
  run.log(`workbench ready in ${((Date.now() - tStart) / 1000).toFixed(1)}s`);
  const results: ScenarioResult[] = [];
  for (const sc of SCENARIOS) if (!ONLY || ONLY.has(sc.name)) results.push(await runScenario(sc, page, repo));
  const tScen = Date.now();
  await run.closeAll();
  return report(results, repo, ((tScen - tStart) / 1000).toFixed(1));
}

/** Replays the oracle, compares, prints the tables; returns 2 when some scenario had problems. */
function report(results: ScenarioResult[], repo: string, scenariosSeconds: string): number {
  const uriOf = (rel: string): string => `file://${path.join(repo, rel)}`;
  // only the repository's files (VS Code or an extension may edit e.g. the user's settings.json)
  const entries = readOracleLog(ORACLE_LOG).filter((e) => e.uri?.startsWith(`file://${repo}/`));
  const { docs, labels, problems } = replay(entries, (uri) => BASE_FILES[path.relative(repo, uri.replace(/^file:\/\//, ''))] ?? '');
  const { rows, details } = compare(results, docs, uriOf);
  printLabels(labels, (u) => results.find((r) => [...r.saved.keys()].some((rel) => uriOf(rel) === u))?.name);
  if (problems.length) {
    console.log(`oracle problems (${problems.length}):`);
    for (const p of [...new Set(problems)].slice(0, 30)) console.log(`  ! ${p}`);
  }
  console.log('');
  printDetails(details, process.env.ACCURACY_DETAILS === '1');
  for (const r of rows) for (const p of r.problems) console.log(`  ! ${r.scenario}: ${p}`);
  console.log('');
  const timing = results.map((r) => `${r.name} ${(r.ms / 1000).toFixed(1)}s`).join(', ');
  console.log(`timings: total ${run.since()}, code-server start to workbench ${scenariosSeconds}s incl. scenarios; ${timing}`);
  const { text, total } = printTable(rows);
  console.log(text);
  console.log('');
  const failed = rows.some((r) => r.problems.length) || problems.length > 0;
  if (failed) console.log('(some scenarios had problems: see the lines marked ! above; their numbers are incomplete)');
  const failing = rows.filter((r) => !r.passed).map((r) => r.scenario);
  console.log(`scenarios: passed=${total.passed}/${total.scenarios}${failing.length ? ` failed=${failing.join(',')}` : ''}`);
  console.log(`accuracy: lines=${total.lines} correct=${pct(total.correct, total.lines)}% false-ai=${total.falseAi} missed-ai=${total.missedAi} profile=${PROFILE}`);
  return failed ? 2 : 0;
}

run.execute(main);
