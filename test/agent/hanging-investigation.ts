/**
 * Run as a separate process by killed-process.int.test.ts: starts an investigation whose second
 * model call never returns, prints `ready` once the first tool result is saved, and waits to be killed.
 */
import type { BaseMessage } from '@langchain/core/messages';
import Database from 'better-sqlite3';
import type { ChatResult } from '@langchain/core/outputs';
import { createAgent } from '../../src/agent/create-agent.js';
import { configSchema } from '../../src/config/config-schema.js';
import { ALERT, createFakeInvestigator } from './fake-investigator.js';
import { ScriptedChatModel } from './scripted-chat-model.js';

class HangingModel extends ScriptedChatModel {
  override async _generate(messages: BaseMessage[]): Promise<ChatResult> {
    if (this.calls.length >= 1) await new Promise(() => undefined);
    return super._generate(messages);
  }
}

const path = process.argv[2]!;
const config = configSchema.parse({
  storage: { path },
  models: [{ provider: 'openai', model: 'scripted', contextWindow: 100_000, price: { input: 1, output: 2 } }],
});
const model = new HangingModel([
  { toolCalls: [{ name: 'gpu_sharing', args: { namespace: 'llm' } }], usage: { input: 900, output: 25 } },
]);
const agent = await createAgent(config, { createModel: () => model, investigator: await createFakeInvestigator() });
// The hanging call holds no timer; this one keeps the process alive until it is killed.
setInterval(() => undefined, 60_000);
// Steps are saved in order without the agent waiting on each: ready once the tool call is in the file.
async function whenRecorded(kind: string): Promise<void> {
  const db = new Database(path, { readonly: true });
  try {
    while (!db.prepare('SELECT 1 FROM agent_record_steps WHERE kind = ?').get(kind))
      await new Promise((resolve) => setTimeout(resolve, 20));
  } finally {
    db.close();
  }
}
await agent.investigate(ALERT, {
  onEvent: (event) => {
    if (event.kind === 'tool-call') void whenRecorded('tool-call').then(() => process.stdout.write('ready\n'));
  },
});
