import { goBlock, jsBlock, mdBlock, pyBlock } from '../corpus';
import type { AgentEdit } from '../driver';
import type { Scenario } from './scenario';

export const chatVisible: Scenario = {
  name: 'chat-visible', channel: 'ai-chat',
  about: 'WorkspaceEdits from an extension (playing a chat) to the Go file shown in the editor: one multi-edit, then a burst of five',
  async run(c) {
    const f = 'chat/service.go';
    await c.open(f);
    await c.agentEdit(f, [
      { line: 3, character: 0, text: `${goBlock('chatSum', 20)}\n\n` },
      { line: 4, character: 0, endLine: 4, endCharacter: 14, text: 'func Hello(name string) {' },
      { line: 7, character: 0, text: `\n${goBlock('chatProduct', 16)}\n\n${goBlock('chatMax', 20)}\n` },
    ]);
    const lines = (await c.lines(f)).length;
    const steps: AgentEdit[] = [];
    for (let i = 0; i < 5; i++) steps.push({ line: lines - 1 + i * 2, character: 0, text: `// streamed by the agent, part ${i + 1}\nvar part${i + 1} = ${i}\n` });
    await c.agentBurst(f, steps);
    await c.waitText(f, (t) => t.includes('part5'), 'the burst');
  },
};

export const chatHidden: Scenario = {
  name: 'chat-hidden', channel: 'ai-chat',
  about: 'WorkspaceEdits from an extension to a Python file no editor shows',
  async run(c) {
    const f = 'chat/worker.py';
    await c.agentEdit(f, [
      { line: 3, character: 0, text: `${pyBlock('hidden_helper', 40)}\n\n\n` },
      { line: 6, character: 0, endLine: 6, endCharacter: 24, text: '    print(os.getcwd(), hidden_helper([1, 2]))' },
    ]);
    await c.agentEdit(f, [{ line: 0, character: 0, text: '# Edited by the agent in the background.\n' }]);
    await c.waitText(f, (t) => t.includes('background'), 'the edits');
  },
};

export const agentNewFile: Scenario = {
  name: 'agent-new-file', channel: 'ai-chat',
  about: 'new files created by an agent (createFile + insert in one WorkspaceEdit): TypeScript and Markdown',
  async run(c) {
    await c.agentCreate('agent/report.ts', `${jsBlock('buildReport', 30, { ts: true })}\n\n${jsBlock('summarize', 20, { ts: true })}\n`);
    await c.agentCreate('agent/README.md', `# Report module\n\n${mdBlock('How it works', 15)}\n`);
    await c.agentCreate('agent/tasks.py', `${pyBlock('schedule', 16)}\n\n\n${pyBlock('cancel', 12)}\n`);
    await c.waitText('agent/README.md', (t) => t.includes('How it works'), 'the new file');
  },
};
