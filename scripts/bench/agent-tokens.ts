/**
 * Agent context cost: each example scenario (evals/scenarios) investigated in its lab by the real
 * graph with scripted model turns (read the top runbook, run its checks, two namespace-wide tools,
 * answer). The script reports each request's input tokens as counted locally (o200k_base): the
 * figures measure what the loop sends, not what a model would choose to do.
 * Printed: input tokens per investigation (median, max), the share of them that is tool output,
 * and the share that is tool definitions.
 */
import { ToolMessage } from '@langchain/core/messages';
import { fileURLToPath } from 'node:url';
import { createAgent } from '../../src/agent/create-agent.js';
import { countMessageTokens, messageText } from '../../src/agent/count-message-tokens.js';
import { configSchema } from '../../src/config/config-schema.js';
import { listScenarioDirs } from '../../src/evaluation/run-eval.js';
import { loadScenario } from '../../src/lab/load-scenario.js';
import { startLab } from '../../src/lab/start-lab.js';
import { openDatabase } from '../../src/ledger/open-database.js';
import { loadTokenCounter } from '../../src/toolsets/count-tokens.js';
import { ScriptedChatModel, type ScriptedRequest, type ScriptedReply } from '../../test/agent/scripted-chat-model.js';

interface Measured {
  scenario: string;
  calls: number;
  input: number;
  toolOutput: number;
  definitions: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : Math.round((sorted[middle - 1]! + sorted[middle]!) / 2);
}

/** The generic script: what an investigator would do first, whatever the incident. */
function script(namespace: string | undefined, count: (text: string) => number, measured: Measured) {
  const metered =
    (turn: (request: ScriptedRequest) => Omit<ScriptedReply, 'usage'>) =>
    (request: ScriptedRequest): ScriptedReply => {
      const input = countMessageTokens(request.messages, request.tools, count);
      measured.calls += 1;
      measured.input += input;
      measured.definitions += request.tools.length > 0 ? count(JSON.stringify(request.tools)) : 0;
      measured.toolOutput += request.messages
        .filter((message) => ToolMessage.isInstance(message))
        .reduce((sum, message) => sum + count(messageText(message)), 0);
      const reply = turn(request);
      return {
        ...reply,
        usage: { input, output: count(JSON.stringify(reply.toolCalls ?? [])) + count(reply.content ?? '') },
      };
    };
  const top = (request: ScriptedRequest) =>
    /Ranked causes \(top: ([a-z0-9-]+)\)/.exec(String(request.messages[1]!.content))?.[1] ?? 'gpu-noisy-neighbor';
  const scope = namespace ? { namespace } : {};
  return [
    metered((request) => ({
      toolCalls: [
        { id: 'b1', name: 'fetch_runbook', args: { id: top(request) } },
        { id: 'b2', name: 'run_runbook_checks', args: { id: top(request) } },
      ],
    })),
    metered(() => ({
      toolCalls: [
        { id: 'b3', name: 'kubernetes_events', args: scope },
        { id: 'b4', name: 'unhealthy_containers', args: scope },
      ],
    })),
    metered((request) => ({
      toolCalls: [
        {
          name: 'final_answer',
          args: {
            cause: top(request),
            title: 'Scripted answer',
            summary: 'A scripted answer for measuring context size.',
            evidence: [{ finding: 'runbook checks', sources: ['b2'] }],
            remediation: [{ step: 'Follow the runbook', runbook: top(request) }],
            confidence: 0.5,
          },
        },
      ],
    })),
  ];
}

export async function run(): Promise<void> {
  const directory = fileURLToPath(new URL('../../evals/scenarios/', import.meta.url));
  const count = await loadTokenCounter();
  const rows: Measured[] = [];
  for (const dir of await listScenarioDirs(directory)) {
    const scenario = await loadScenario(dir);
    const lab = await startLab(scenario);
    const db = openDatabase({ path: ':memory:' });
    try {
      const config = configSchema.parse({
        prometheus: { url: lab.prometheusUrl },
        kubernetes: { server: lab.kubeApiUrl },
        models: [{ provider: 'openai', model: 'gpt-4o-mini' }],
      });
      const measured: Measured = { scenario: scenario.id, calls: 0, input: 0, toolOutput: 0, definitions: 0 };
      const model = new ScriptedChatModel(script(scenario.alert.labels.namespace, count, measured));
      const agent = await createAgent(config, { createModel: () => model, db });
      const result = await agent.investigate(scenario.alert);
      agent.close();
      rows.push(measured);
      process.stdout.write(
        `${scenario.id.padEnd(36)} ${result.status.padEnd(10)} ${String(measured.calls).padStart(2)} calls ${String(measured.input).padStart(7)} input tokens, tool output ${((measured.toolOutput / measured.input) * 100).toFixed(0).padStart(2)}%, tool definitions ${((measured.definitions / measured.input) * 100).toFixed(0).padStart(2)}%\n`,
      );
    } finally {
      db.close();
      await lab.close();
    }
  }
  const inputs = rows.map((row) => row.input);
  const total = inputs.reduce((sum, value) => sum + value, 0);
  const toolOutput = rows.reduce((sum, row) => sum + row.toolOutput, 0);
  const definitions = rows.reduce((sum, row) => sum + row.definitions, 0);
  process.stdout.write(
    `input tokens per investigation over ${rows.length} scenarios (3 scripted turns): median ${median(inputs)}, max ${Math.max(...inputs)}; tool output ${((toolOutput / total) * 100).toFixed(1)}% of input tokens, tool definitions ${((definitions / total) * 100).toFixed(1)}%\n`,
  );
}
