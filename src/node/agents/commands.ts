import * as os from 'node:os';
import { findRepo } from '../git/git';
import { describeError, UsageError } from '../errors';
import type { CommandIo, ParsedArgs } from '../cli/args';
import { AGENT_SPECS } from '../../core/agentConfig';
import { AGENT_IDS, hookReply, isAgentId } from '../../core/agentPayload';
import type { AgentId } from '../../core/agentPayload';
import { runAgentHook } from './hook';
import { launcherPath, writeLauncher } from './launcher';
import { drainAgentSpool, DRAIN_FIRST_MS } from './spool';
import { agentStatus, describeOutcome, installAgent, isDetected, logLine, projectPlace, uninstallAgent, userPlace } from './install';
import type { AgentPlace, Runtime, Scope } from './install';

/** What the CLI's `hook <agent>` and `agents …` run; the work itself is in hook.ts and install.ts. */

/** The common case takes well under 100 ms; whatever happens, the agent gets its answer within this. */
export const AGENT_HOOK_BUDGET_MS = 1500;
/**
 * How long `agents drain` (what the launcher starts in the background) may
 * run; it waits for a drain at work, then looks again, so that when it ends
 * everything spooled before it started has been run.
 */
const BACKGROUND_DRAIN_MS = 60_000;
async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return '';
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * `ai-provenance hook <agent>`: always exit 0 with the reply the agent
 * expects. The calls the launcher spooled come first, so that a `post` here
 * finds the snapshot its spooled `pre` keeps.
 */
export async function runAgentHookCli(hint: AgentId, cwd: string, env: NodeJS.ProcessEnv): Promise<number> {
  let replied = false;
  const reply = (text: string): void => {
    if (replied) return;
    replied = true;
    if (text !== '') process.stdout.write(`${text}\n`);
  };
  setTimeout(() => {
    reply(hookReply(hint));
    void logLine(env, hint, `took longer than ${AGENT_HOOK_BUDGET_MS} ms; nothing recorded`).finally(() => process.exit(0));
  }, AGENT_HOOK_BUDGET_MS).unref();
  try {
    const input = await readStdin();
    await drainAgentSpool(env, DRAIN_FIRST_MS, true);
    const result = await runAgentHook(hint, input, cwd);
    reply(result.reply);
    for (const t of result.trouble) await logLine(env, result.agent ?? hint, t);
  } catch (e) {
    reply(hookReply(hint));
    await logLine(env, hint, describeError(e));
  }
  return 0;
}

export const AGENTS_USAGE = `Usage: ai-provenance agents install [--project|--user] <agent>...|all
       ai-provenance agents uninstall [--project|--user] <agent>...|all
       ai-provenance agents status [--project|--user]
       ai-provenance agents drain

Sets up the coding agents' own hooks so that every file they write is
recorded line by line as theirs (ai-chat, certain, the agent and its model
named on an Assisted-by line). Install merges into the agent's config and
keeps everything else in it; uninstall puts the file back byte for byte, or
removes it when install created it. A config that does not parse is
reported and left alone. The hooks run a launcher in your state folder
(~/.local/state/ai-provenance/bin), which answers the common call itself
and records it in the background; drain runs what it left (every reader
of the records does so first anyway).

  agents: ${AGENT_IDS.join(', ')}; all = the ones found on this machine
  --project  this repository's own config files (the default)
  --user     the config files in your home directory

Exit 0: done; 1: a config could not be read, or a file of the same name is not ours; 2: bad input.`;

function agentsRequest(args: ParsedArgs): { sub: string; scope: Scope; agents: AgentId[] | 'all' } {
  const [sub, ...names] = args.positional;
  if (sub !== 'install' && sub !== 'uninstall' && sub !== 'status' && sub !== 'drain') throw new UsageError('agents: needs install, uninstall, status or drain (see ai-provenance agents --help)');
  if (args.flags.has('project') && args.flags.has('user')) throw new UsageError('agents: --project and --user exclude each other');
  const scope: Scope = args.flags.has('user') ? 'user' : 'project';
  if (sub === 'status' || sub === 'drain') {
    if (names.length > 0) throw new UsageError(`agents ${sub} takes no agent names`);
    return { sub, scope, agents: 'all' };
  }
  if (names.length === 0) throw new UsageError(`agents ${sub}: name the agents, or all (${AGENT_IDS.join(', ')})`);
  if (names.includes('all')) return { sub, scope, agents: 'all' };
  const bad = names.filter((n) => !isAgentId(n));
  if (bad.length > 0) throw new UsageError(`unknown agent: ${bad.join(', ')} (agents: ${AGENT_IDS.join(', ')})`);
  return { sub, scope, agents: names as AgentId[] };
}

/**
 * The hooks call the launcher in the user's state folder (launcher.ts),
 * pointed at this CLI, for its fast path; a file there that is not ours is
 * left alone, and the hooks then run this CLI directly.
 */
async function withLauncher(env: NodeJS.ProcessEnv, rt: Runtime): Promise<Runtime> {
  if (rt.launcher) return rt;
  return (await writeLauncher(env, rt)) === 'foreign' ? rt : { ...rt, launcher: launcherPath(env) };
}

async function placeFor(scope: Scope, cwd: string, env: NodeJS.ProcessEnv): Promise<AgentPlace> {
  if (scope === 'user') return userPlace(env);
  const repo = await findRepo(cwd);
  if (!repo) throw new UsageError(`not inside a git work tree: ${cwd} (use --user for your home directory's config)`);
  return projectPlace(repo, env);
}

/** `ai-provenance agents …`: exit 0, or 1 when a file could not be read or was not ours. */
export async function runAgents(args: ParsedArgs, io: CommandIo, env: NodeJS.ProcessEnv, given: Runtime): Promise<number> {
  const { sub, scope, agents } = agentsRequest(args);
  if (sub === 'drain') {
    await drainAgentSpool(env, BACKGROUND_DRAIN_MS, true);
    return 0;
  }
  const place = await placeFor(scope, io.cwd, env);
  const rt = sub === 'install' ? await withLauncher(env, given) : given;
  const home = os.homedir();
  const chosen = agents === 'all' ? AGENT_IDS.filter((a) => sub === 'uninstall' || isDetected(AGENT_SPECS[a], home, env)) : agents;
  if (sub === 'status') {
    for (const a of AGENT_IDS) {
      const s = await agentStatus(a, place, home);
      io.out(`${a}${s.detected ? '' : ' (not found on this machine)'}: ${s.files.map((f) => `${f.state} ${f.file}`).join('; ')}\n`);
    }
    return 0;
  }
  if (chosen.length === 0) io.out('No agents found on this machine; name them to install anyway.\n');
  let code = 0;
  for (const a of chosen) {
    const outcomes = sub === 'install' ? await installAgent(a, place, rt) : await uninstallAgent(a, place);
    for (const o of outcomes) {
      if (o.status === 'malformed' || o.status === 'foreign') code = 1;
      (o.status === 'malformed' ? io.err : io.out)(`${describeOutcome(o)}\n`);
    }
    const approval = AGENT_SPECS[a].approval;
    if (sub === 'install' && approval && outcomes.some((o) => o.status === 'installed')) io.out(`${a}: needs you: ${approval}\n`);
  }
  return code;
}
