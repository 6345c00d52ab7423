import { beforeAll, describe, expect, it } from 'vitest';
import { createRunbookTools } from '../../src/agent/runbook-tools.js';
import { alertText, rankAlertTools, rankQuestionTools } from '../../src/agent/rank-tools.js';
import { createToolCatalog } from '../../src/agent/tool-catalog.js';
import { selectToolsets } from '../../src/agent/select-toolsets.js';
import type { Alert } from '../../src/core/alert.js';
import type { InvestigationResult } from '../../src/core/investigation.js';
import { BUILTIN_RUNBOOKS_DIR, loadRunbooks } from '../../src/runbooks/load-runbooks.js';
import { BUILTINS } from '../../src/toolsets/builtins/index.js';
import { loadTokenCounter } from '../../src/toolsets/count-tokens.js';
import type { Toolbox } from '../../src/toolsets/create-toolbox.js';
import { BUILTIN_TOOLSETS_DIR, loadToolsets } from '../../src/toolsets/load-toolsets.js';
import { ALERT } from './fake-investigator.js';

let catalog: ReturnType<typeof createToolCatalog>;

/** The deterministic result of an alert: one cause in play with the evidence of one tool. */
function deterministic(cause: string, className: string, tool: string): InvestigationResult {
  return {
    hypotheses: [
      {
        cause,
        title: cause,
        class: className,
        score: 5,
        confidence: 0.7,
        candidateBecause: ['the alert matched'],
        evidence: [{ tool: { tool, toolset: '', params: {}, status: 'success', text: '', requests: [] } }],
      },
    ],
    rootCause: { id: cause, title: cause, confidence: 0.7, summary: '' },
    entities: { alertname: 'x', pods: [], containers: [], nodes: [], gpus: [], notes: [], unresolved: [] },
  } as unknown as InvestigationResult;
}

describe('rankAlertTools (the built-in toolsets and runbooks)', () => {
  beforeAll(async () => {
    const [loaded, runbooks, countTokens] = await Promise.all([
      loadToolsets({ directories: [BUILTIN_TOOLSETS_DIR], builtins: new Set(Object.keys(BUILTINS)) }),
      loadRunbooks([BUILTIN_RUNBOOKS_DIR]),
      loadTokenCounter(),
    ]);
    const tools = loaded.toolsets.flatMap(({ spec }) => spec.tools.map((tool) => ({ toolset: spec.id, spec: tool })));
    const toolbox = {
      tools: () => tools,
      statuses: loaded.toolsets.map(({ spec }) => ({ id: spec.id, description: spec.description })),
    } as unknown as Toolbox;
    catalog = createToolCatalog({
      toolbox,
      runbooks: runbooks.runbooks,
      runbookDefinitions: createRunbookTools({ runbooks: runbooks.runbooks, toolbox, alert: undefined }).definitions,
      countTokens,
      budget: 700,
    });
  });

  const definitionTokens = (names: string[]) =>
    names.reduce((sum, name) => sum + catalog.ranking.definitionTokens(name), 0);

  it('offers the serving tools for an LLM latency alert, the runbook tools and PromQL first, within the budget', () => {
    const offered = rankAlertTools(
      ALERT,
      deterministic('gpu-noisy-neighbor', 'gpu-contention', 'gpu_sharing'),
      catalog.ranking.descriptions,
      catalog.ranking,
    );
    expect(offered.slice(0, 3)).toEqual(['fetch_runbook', 'run_runbook_checks', 'prometheus_instant_query']);
    expect(offered).toContain('vllm_overview');
    expect(offered).toContain('gpu_sharing');
    // Not every tool: nothing about spend or cost, and the definitions fit the budget.
    expect(offered).not.toContain('idle_gpu_cost');
    expect(offered).not.toContain('llm_spend_breakdown');
    expect(definitionTokens(offered)).toBeLessThanOrEqual(700);
  });

  it('offers the spend tools for a spend alert, and not the serving ones', () => {
    const alert: Alert = {
      ...ALERT,
      labels: { alertname: 'LiteLLMTeamSpendHigh', team: 'search' },
      annotations: { summary: 'Team search LLM spend is 4x its daily average', description: 'Spend by key and model.' },
    };
    const offered = rankAlertTools(
      alert,
      deterministic('agent-token-loop', 'runaway-cost', 'llm_spend_breakdown'),
      catalog.ranking.descriptions,
      catalog.ranking,
    );
    expect(offered).toEqual(expect.arrayContaining(['llm_spend_breakdown', 'fetch_runbook', 'run_runbook_checks']));
    expect(offered).not.toContain('vllm_overview');
    expect(offered).not.toContain('gpu_sharing');
  });

  it("reads an alert's name in camel case and the kinds of entities it resolved to", () => {
    const alert = { ...ALERT, labels: { alertname: 'VLLMTimeToFirstTokenHigh' }, annotations: { summary: 'p99 up' } };
    expect(alertText(alert)).toBe('VLLM Time To First Token High p99 up');
    const entities = deterministic('x', 'y', 'z').entities;
    expect(alertText(alert, { ...entities, gpus: [{ node: 'n1', gpu: '0' }], model: 'llama' })).toBe(
      'VLLM Time To First Token High p99 up gpu model',
    );
  });

  it("offers a question's first look and the toolsets it names, and the runbook list", () => {
    const plan = selectToolsets(
      'why is p99 TTFT of chat-api worse than an hour ago?',
      catalog.ranking.tools,
      catalog.ranking.descriptions,
    );
    const offered = rankQuestionTools(
      plan.matches,
      plan.firstLook.map((call) => call.tool),
      catalog.ranking,
    );
    expect(offered).toEqual(expect.arrayContaining(['vllm_overview', 'list_runbooks', 'prometheus_instant_query']));
    expect(definitionTokens(offered)).toBeLessThanOrEqual(700);
  });
});
