/**
 * Agent context cost: each example scenario (evals/scenarios) investigated in its lab by the real
 * graph with scripted model turns (read the top runbook, run its checks, two namespace-wide tools
 * among those offered, answer). Figures measure what the loop sends, not what a model would do.
 *
 * 1. gpt-4o-mini (scripted chat model): each request's input counted locally (o200k_base), its
 *    cached part as OpenAI documents automatic prompt caching (the prefix shared with an earlier
 *    request, from 1024 tokens in steps of 128), and the billed-equivalent input: uncached tokens
 *    plus cached tokens at the catalog's cached/input price ratio. Also the share of input that is
 *    tool definitions and tool output.
 * 2. An 8k-window model (llama3.1:8b, no window configured) behind a loopback server that refuses
 *    what vLLM refuses: prompt (counted with another tokenizer) plus max_tokens above 8192.
 */
import { ToolMessage } from '@langchain/core/messages';
import { getEncoding } from 'js-tiktoken';
import { fileURLToPath } from 'node:url';
import { createAgent } from '../../src/agent/create-agent.js';
import { countMessageTokens, messageText } from '../../src/agent/count-message-tokens.js';
import { lookupModel } from '../../src/agent/model-catalog.js';
import { configSchema } from '../../src/config/config-schema.js';
import { listScenarioDirs } from '../../src/evaluation/run-eval.js';
import { loadScenario } from '../../src/lab/load-scenario.js';
import { startLab } from '../../src/lab/start-lab.js';
import { openDatabase } from '../../src/ledger/open-database.js';
import { loadTokenCounter } from '../../src/toolsets/count-tokens.js';
import { createPromptCacheSimulator } from '../../test/agent/prompt-cache-simulator.js';
import { ScriptedChatModel, type ScriptedRequest, type ScriptedReply } from '../../test/agent/scripted-chat-model.js';
import { startVllmStandIn, textOf, type StandInReply } from '../../test/agent/vllm-stand-in.js';

interface Measured {
  scenario: string;
  calls: number;
  input: number;
  cached: number;
  billed: number;
  toolOutput: number;
  definitions: number;
}

/** What a scripted turn sees: the starting evidence and the names of the tools offered. */
interface View {
  evidence: string;
  offered: string[];
}

type Turn = (view: View) => StandInReply;

function median(values: number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : Math.round((sorted[middle - 1]! + sorted[middle]!) / 2);
}

/** What an investigator does first whatever the incident; it calls only tools it was offered. */
function script(namespace: string | undefined): Turn[] {
  const top = (view: View) => /Ranked causes \(top: ([a-z0-9-]+)\)/.exec(view.evidence)?.[1] ?? 'other';
  const scope = namespace ? { namespace } : {};
  const preferred = ['kubernetes_events', 'unhealthy_containers', 'kubernetes_list', 'recent_rollouts'];
  return [
    (view) => ({
      toolCalls: [
        { id: 'b1', name: 'fetch_runbook', args: { id: top(view) } },
        { id: 'b2', name: 'run_runbook_checks', args: { id: top(view) } },
      ],
    }),
    (view) => ({
      toolCalls: preferred
        .filter((name) => view.offered.includes(name))
        .slice(0, 2)
        .map((name, index) => ({
          id: `b${index + 3}`,
          name,
          args: name === 'kubernetes_list' ? { kind: 'Pod', ...scope } : scope,
        })),
    }),
    (view) => ({
      toolCalls: [
        {
          id: 'b9',
          name: 'final_answer',
          args: {
            cause: top(view),
            title: 'Scripted answer',
            summary: 'A scripted answer for measuring context size.',
            evidence: [{ finding: 'runbook checks', sources: ['b2'] }],
            remediation: top(view) === 'other' ? [] : [{ step: 'Follow the runbook', runbook: top(view) }],
            confidence: 0.5,
          },
        },
      ],
    }),
  ];
}

const offeredNames = (tools: unknown[]) =>
  tools.map(
    (tool) =>
      (tool as { function?: { name: string }; name?: string }).function?.name ?? (tool as { name: string }).name,
  );

async function cachedRun(
  config: ReturnType<typeof configSchema.parse>,
  scenario: Awaited<ReturnType<typeof loadScenario>>,
  count: (text: string) => number,
  ratio: number,
) {
  const encoder = getEncoding('o200k_base');
  const cache = createPromptCacheSimulator((text) => encoder.encode(text));
  const measured: Measured = {
    scenario: scenario.id,
    calls: 0,
    input: 0,
    cached: 0,
    billed: 0,
    toolOutput: 0,
    definitions: 0,
  };
  const turns = script(scenario.alert.labels.namespace).map((turn) => (request: ScriptedRequest): ScriptedReply => {
    const input = countMessageTokens(request.messages, request.tools, count);
    const cached = cache.read(request, input);
    measured.calls += 1;
    measured.input += input;
    measured.cached += cached;
    measured.billed += input - cached + cached * ratio;
    measured.definitions += request.tools.length > 0 ? count(JSON.stringify(request.tools)) : 0;
    measured.toolOutput += request.messages
      .filter((message) => ToolMessage.isInstance(message))
      .reduce((sum, message) => sum + count(messageText(message)), 0);
    const reply = turn({ evidence: messageText(request.messages[1]!), offered: offeredNames(request.tools) });
    return {
      ...reply,
      usage: { input, cached, output: count(JSON.stringify(reply.toolCalls ?? [])) + count(reply.content ?? '') },
    };
  });
  const db = openDatabase({ path: ':memory:' });
  const model = new ScriptedChatModel(turns);
  const agent = await createAgent(config, { createModel: () => model, db });
  try {
    const result = await agent.investigate(scenario.alert);
    return { measured, status: result.status };
  } finally {
    agent.close();
    db.close();
  }
}

async function smallWindowRun(base: Record<string, unknown>, scenario: Awaited<ReturnType<typeof loadScenario>>) {
  const turns = script(scenario.alert.labels.namespace);
  const server = await startVllmStandIn({
    maxModelLen: 8_192,
    reply: (body, index) =>
      turns[Math.min(index, turns.length - 1)]!({
        evidence: textOf(body.messages[1]?.content ?? ''),
        offered: (body.tools ?? []).map((tool) => tool.function.name),
      }),
  });
  const db = openDatabase({ path: ':memory:' });
  const config = configSchema.parse({
    ...base,
    models: [{ provider: 'openai', model: 'llama3.1:8b', baseUrl: server.url }],
  });
  const agent = await createAgent(config, { db });
  try {
    const result = await agent.investigate(scenario.alert);
    return {
      status: result.status,
      overflows: server.overflows,
      requests: server.bodies.length,
      stopReason: result.llm?.stopReason,
    };
  } finally {
    agent.close();
    db.close();
    await server.close();
  }
}

export async function run(): Promise<void> {
  const directory = fileURLToPath(new URL('../../evals/scenarios/', import.meta.url));
  const count = await loadTokenCounter();
  const price = lookupModel('gpt-4o-mini', { provider: 'openai' })!.price;
  const ratio = (price.cached ?? price.input) / price.input;
  const rows: Measured[] = [];
  const small: Array<{ status: string; overflows: number }> = [];
  for (const dir of await listScenarioDirs(directory)) {
    const scenario = await loadScenario(dir);
    const lab = await startLab(scenario);
    try {
      const base = { prometheus: { url: lab.prometheusUrl }, kubernetes: { server: lab.kubeApiUrl } };
      const config = configSchema.parse({ ...base, models: [{ provider: 'openai', model: 'gpt-4o-mini' }] });
      const { measured, status } = await cachedRun(config, scenario, count, ratio);
      rows.push(measured);
      const eight = await smallWindowRun(base, scenario);
      small.push(eight);
      const pct = (part: number) => `${((part / measured.input) * 100).toFixed(0).padStart(2)}%`;
      process.stdout.write(
        `${scenario.id.padEnd(36)} ${status.padEnd(10)} ${measured.calls} calls ${String(measured.input).padStart(6)} in, ${String(measured.cached).padStart(5)} cached, ${String(Math.round(measured.billed)).padStart(6)} billed-eq; definitions ${pct(measured.definitions)}, tool output ${pct(measured.toolOutput)} | 8k: ${eight.status} ${eight.requests} requests, ${eight.overflows} provider errors${eight.stopReason ? ` (${eight.stopReason.slice(0, 80)})` : ''}\n`,
      );
    } finally {
      await lab.close();
    }
  }
  const total = (pick: (row: Measured) => number) => rows.reduce((sum, row) => sum + pick(row), 0);
  const input = total((row) => row.input);
  process.stdout.write(
    [
      `over ${rows.length} scenarios (3 scripted turns, gpt-4o-mini, cached input at ${ratio} of the input price):`,
      `  billed-equivalent input tokens per investigation: median ${median(rows.map((row) => Math.round(row.billed)))} (target ≤ 10000), max ${Math.max(...rows.map((row) => Math.round(row.billed)))}`,
      `  input tokens per investigation: median ${median(rows.map((row) => row.input))}, max ${Math.max(...rows.map((row) => row.input))}; cached ${((total((row) => row.cached) / input) * 100).toFixed(1)}%`,
      `  tool definitions ${((total((row) => row.definitions) / input) * 100).toFixed(1)}% of input tokens (target ≤ 25%), tool output ${((total((row) => row.toolOutput) / input) * 100).toFixed(1)}%`,
      `  8k-window model behind a vLLM stand-in: ${small.filter((run) => run.status === 'completed').length}/${small.length} completed, ${small.reduce((sum, run) => sum + run.overflows, 0)} provider errors (target 0)`,
      '',
    ].join('\n'),
  );
}
