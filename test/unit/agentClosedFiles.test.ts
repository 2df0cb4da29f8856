import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { runAgentHook } from '../../src/node/agents/hook';
import { agentPending } from '../../src/node/agents/snapshots';
import { markText } from '../../src/node/commit/mark';
import { readFileLedger, writeFileLedger } from '../../src/node/git/ledgerStore';
import type { TempRepo } from './helpers/gitRepo';
import { ev, useTempRepo, writeTracked } from './helpers/gitRepo';

/**
 * Files no editor has open: the agent's hook is the only witness of its
 * write, and the editor's file watcher may see the change too (it records a
 * closed file's changed lines as `external` after a short wait). In real
 * repositories: the hook's record must credit the agent whatever the order,
 * and the watcher must be able to tell that an agent is at work on a file.
 */

const BASE = 'const a = 1;\n';
const AGENT = 'const a = 1;\nconst mine = 2;\nconst v = 3;\nconst w = 4;\n';

function claude(event: string, repo: TempRepo, tool: string, input: object, id: string): string {
  return JSON.stringify({ session_id: 's-closed', transcript_path: '/home/u/.claude/projects/p/s-closed.jsonl', cwd: repo.dir, hook_event_name: event, tool_name: tool, tool_input: input, tool_use_id: id });
}

describe('agents: files no editor has open', function () {
  this.timeout(60_000);
  let repo!: TempRepo;
  useTempRepo((r) => (repo = r), { cli: true, hooks: true });

  /** util.js committed, then a line typed and saved in the editor, then closed: its ledger knows the person's line. */
  async function personSavedAndClosed(): Promise<string> {
    await repo.write('src/util.js', BASE);
    repo.ok(['add', '.']);
    repo.ok(['commit', '-q', '-m', 'base']);
    await writeTracked(repo, 'src/util.js', [['const a = 1;', null], ['const mine = 2;', ev('typed')]]);
    return path.join(repo.dir, 'src', 'util.js');
  }

  function commit(): { trailer: string[]; assisted: string[] } {
    repo.ok(['add', '.']);
    repo.ok(['commit', '-q', '-m', 'agent']);
    return { trailer: repo.trailers(), assisted: repo.trailers('HEAD', 'Assisted-by') };
  }

  it('the watcher recorded the write as external before the post hook came: the agent still gets exactly its lines', async () => {
    const abs = await personSavedAndClosed();
    const input = { file_path: abs, old_string: 'const mine = 2;\n', new_string: 'const mine = 2;\nconst v = 3;\nconst w = 4;\n' };
    await runAgentHook('claude-code', claude('PreToolUse', repo, 'Edit', input, 'toolu_c1'), repo.dir);
    assert.equal(await agentPending(repo.paths, 'src/util.js', Date.now()), true);
    await repo.write('src/util.js', AGENT);
    // What the editor's DiskWatcher writes when its wait ends before the hook's record lands.
    const known = await readFileLedger(repo.paths.ledgerDir, 'src/util.js');
    const at = Date.now();
    const external = { origin: 'external' as const, confidence: 'likely' as const, detail: 'the file changed on disk while no editor had it open', at };
    await writeFileLedger(repo.paths.ledgerDir, markText('src/util.js', AGENT, known, null, external, at).ledger);
    const r = await runAgentHook('claude-code', claude('PostToolUse', repo, 'Edit', input, 'toolu_c1'), repo.dir);
    assert.deepEqual(r.recorded, { 'src/util.js': 2 });
    assert.equal(await agentPending(repo.paths, 'src/util.js', Date.now()), false);
    const { trailer, assisted } = commit();
    assert.deepEqual(trailer, ['v=1 lines=3 ai=2 mixed=0 human=1 unknown=0 ai-chat=2']);
    assert.deepEqual(assisted, ['claude-code']);
  });

  it('the post hook came first: a watcher that looks later finds the record already describes the file', async () => {
    const abs = await personSavedAndClosed();
    const input = { file_path: abs, content: AGENT };
    await runAgentHook('claude-code', claude('PreToolUse', repo, 'Write', input, 'toolu_c2'), repo.dir);
    await repo.write('src/util.js', AGENT);
    await runAgentHook('claude-code', claude('PostToolUse', repo, 'Write', input, 'toolu_c2'), repo.dir);
    const ledger = await readFileLedger(repo.paths.ledgerDir, 'src/util.js');
    assert.ok(ledger);
    // The watcher marks only lines the ledger does not know (or knows only as external): none.
    const again = markText('src/util.js', AGENT, ledger, null, { origin: 'external', confidence: 'likely', detail: 'x', at: Date.now() }, Date.now());
    assert.equal(again.marked, 0);
    assert.deepEqual(commit().trailer, ['v=1 lines=3 ai=2 mixed=0 human=1 unknown=0 ai-chat=2']);
  });

  it('a new file in a new folder, written by the agent’s Write tool: every line is the agent’s', async () => {
    await repo.write('README.md', '# r\n');
    repo.ok(['add', '.']);
    repo.ok(['commit', '-q', '-m', 'base']);
    const abs = path.join(repo.dir, 'lib', 'deep', 'gen.js');
    const input = { file_path: abs, content: 'export const x = 1;\n\nexport const y = 2;\n' };
    await runAgentHook('claude-code', claude('PreToolUse', repo, 'Write', input, 'toolu_c3'), repo.dir);
    await repo.write('lib/deep/gen.js', input.content);
    const r = await runAgentHook('claude-code', claude('PostToolUse', repo, 'Write', input, 'toolu_c3'), repo.dir);
    assert.deepEqual(r.recorded, { 'lib/deep/gen.js': 2 });
    assert.deepEqual(commit().trailer, ['v=1 lines=2 ai=2 mixed=0 human=0 unknown=0 ai-chat=2']);
  });

  it('a shell command that writes a closed file: pending for every file while it runs; a second post records nothing more', async () => {
    await personSavedAndClosed();
    const input = { command: 'node gen.js' };
    await runAgentHook('claude-code', claude('PreToolUse', repo, 'Bash', input, 'toolu_c4'), repo.dir);
    assert.equal(await agentPending(repo.paths, 'src/other.js', Date.now()), true);
    await repo.write('src/util.js', AGENT);
    const first = await runAgentHook('claude-code', claude('PostToolUse', repo, 'Bash', input, 'toolu_c4'), repo.dir);
    const second = await runAgentHook('claude-code', claude('PostToolUse', repo, 'Bash', input, 'toolu_c4'), repo.dir);
    assert.deepEqual([first.recorded, second.recorded], [{ 'src/util.js': 2 }, {}]);
    assert.equal(await agentPending(repo.paths, 'src/other.js', Date.now()), false);
    assert.deepEqual(commit().trailer, ['v=1 lines=3 ai=2 mixed=0 human=1 unknown=0 ai-chat=2']);
  });

  it('a snapshot whose post never came stops counting as at work after a few minutes', async () => {
    const abs = await personSavedAndClosed();
    await runAgentHook('claude-code', claude('PreToolUse', repo, 'Edit', { file_path: abs, old_string: 'a', new_string: 'b' }, 'toolu_c5'), repo.dir);
    assert.equal(await agentPending(repo.paths, 'src/util.js', Date.now() + 11 * 60_000), false);
  });
});
