import { AGENTS_USAGE, runAgents } from '../agents/commands';
import type { Command } from './args';

/** `ai-provenance agents install|uninstall|status`: the work is in src/node/agents/. */
export const command: Command = {
  usage: AGENTS_USAGE,
  spec: { booleans: ['project', 'user'] },
  run: (args, io) => runAgents(args, io, process.env, { runtimePath: process.execPath, cliPath: __filename }),
};
