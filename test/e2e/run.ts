// End-to-end tests, no mocha:  npm run test:e2e   (screenshots for the README: npm run screenshots)
//
// Starts code-server (VS Code 1.139.1) on a fresh temp git repository per
// scenario, drives it with playwright-core + Debian's Chromium and checks what
// lands on disk. Extensions installed: the fixture "AI"
// (test/fixtures/ai-fixture) and the extension under test (its packaged VSIX).
//
// Flags:
//   --update-screenshots  also copy the screenshots over docs/images/
// Env:
//   AI_PROVENANCE_VSIX   the extension's VSIX (default: ai-provenance-<version>.vsix in the repo root)
//   E2E_TIMEOUT_MS       hard overall timeout (default 1800000 = 30 min: seven scenarios, one waiting for the TypeScript server)
//   E2E_KEEP=1           keep the whole temp dir (default: only artifacts/ is kept)
//   E2E_HEADED=1         show the browser (needs a display)
//   E2E_ONLY=<text>      run only the scenarios whose name contains <text> (case-insensitive)
//
// Progress goes to stderr; the last stdout line is "e2e: N passed, M failed".
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ensureSetup } from '../../tools/harness/codeServer';
import { buildFixtureVsix } from '../../tools/harness/fixture';
import { extensionVsix } from '../../tools/harness/paths';
import { Run, StepFailed } from '../../tools/harness/runner';
import { type E2e, Screenshots } from './context';
import { agentHooks } from './scenarios/agentHooks';
import { everydayEdits } from './scenarios/everydayEdits';
import { recordThroughRewrites } from './scenarios/recordRewrites';
import { reviewAndPersistence } from './scenarios/review';
import { typedAiPaste } from './scenarios/typedAiPaste';
import { reviewWorkbench } from './scenarios/workbench';

const SCENARIOS: { name: string; run: (e2e: E2e) => Promise<void> }[] = [
  {
    name: 'stable API: typed, completed and pasted lines are marked, and counted in the trailer of a terminal commit',
    run: (e2e) => typedAiPaste(e2e, { editSourceApi: false, commitVia: 'terminal' }),
  },
  {
    name: "with VS Code's edit labels, committing from the Source Control view: the same counts, and the completion's tool is named",
    run: (e2e) => typedAiPaste(e2e, { editSourceApi: true, commitVia: 'scm' }),
  },
  {
    name: 'status bar, file report (rendered), review, reload, an agent\'s write labelled with mark, trailer, marks cleared by the commit',
    run: reviewAndPersistence,
  },
  {
    name: 'Claude Code through the hooks Set Up Agent Hooks wrote: an open file (hover names the agent and model) and a closed one, while the person types elsewhere; exact trailer and record',
    run: agentHooks,
  },
  {
    name: 'the record through rewrites: a commit from the Source Control view, then --amend -m and a rebase -i squash in a terminal',
    run: recordThroughRewrites,
  },
  {
    name: "the reviewer's workbench: a branch of a completion, a paste and an agent's edit; the rendered file report opens lines; This branch lists, opens and signs off; record, report --lines, AI history marks",
    run: reviewWorkbench,
  },
  {
    name: "everyday edits with VS Code's default settings: copy/paste of typed text, a completion moved and cut/pasted, Replace All, a quick fix from the lightbulb",
    run: everydayEdits,
  },
];

const { values: flags } = parseArgs({ options: { 'update-screenshots': { type: 'boolean', default: false } }, strict: true });

const run: Run = new Run({
  name: 'e2e',
  timeoutMs: Number(process.env.E2E_TIMEOUT_MS) || 30 * 60_000,
  keep: process.env.E2E_KEEP === '1',
  summary: (code) => {
    const failed = run.counts.failed + (code && !run.counts.failed ? 1 : 0);
    for (const line of screenshots.publish()) run.log(line);
    console.log(`e2e: ${run.counts.passed} passed, ${failed} failed`);
    return failed ? (code > 1 ? code : 1) : 0;
  },
});
const screenshots = new Screenshots(path.join(run.artifacts, 'screenshots'), flags['update-screenshots'] ?? false);

async function main(): Promise<number> {
  const vsixes = await run.step('setup + build fixture VSIX', async () => {
    run.log(`  code-server in ${ensureSetup()}`);
    return [buildFixtureVsix(path.join(run.tmp, 'vsix')), extensionVsix()];
  });
  const only = process.env.E2E_ONLY?.toLowerCase();
  for (const sc of SCENARIOS.filter((x) => !only || x.name.toLowerCase().includes(only))) {
    run.log(`=== ${sc.name}`);
    try {
      await sc.run({ run, vsixes, screenshots });
    } catch (err) {
      if (run.aborted) break;
      if (!(err instanceof StepFailed)) {
        run.counts.failed++;
        run.log(`  ✘ ${sc.name}: ${(err as Error)?.stack || err}`);
        await run.saveFailureArtifacts(sc.name);
      }
    } finally {
      await run.closeAll();
    }
  }
  return run.counts.failed ? 1 : 0;
}

run.execute(main);
