import { beforeAll, describe, expect, it } from 'vitest';
import { namespaceIn, selectToolsets } from '../../src/agent/select-toolsets.js';
import { BUILTINS } from '../../src/toolsets/builtins/index.js';
import type { ToolDescriptor } from '../../src/toolsets/create-toolbox.js';
import { BUILTIN_TOOLSETS_DIR, loadToolsets } from '../../src/toolsets/load-toolsets.js';

let tools: ToolDescriptor[];
let descriptions: Map<string, string>;

describe('selectToolsets (over the built-in toolsets)', () => {
  beforeAll(async () => {
    const loaded = await loadToolsets({
      directories: [BUILTIN_TOOLSETS_DIR],
      builtins: new Set(Object.keys(BUILTINS)),
    });
    tools = loaded.toolsets.flatMap(({ spec }) => spec.tools.map((tool) => ({ toolset: spec.id, spec: tool })));
    descriptions = new Map(loaded.toolsets.map(({ spec }) => [spec.id, spec.description]));
  });

  it.each([
    [
      'why is p99 TTFT of chat-api worse than an hour ago in namespace llm?',
      'llm/serving',
      'vllm_overview',
      { namespace: 'llm' },
    ],
    ['which team is spending the most on LLM tokens?', 'cost/llm-spend', 'llm_spend_breakdown', {}],
    ['are any GPUs throwing XID errors?', 'gpu/dcgm', 'gpu_xid', {}],
    ['is the InfiniBand fabric congested?', 'fabric/network', 'fabric_port_health', {}],
  ])(
    'picks the toolset a question calls for and a first look without required parameters: %s',
    (question, toolset, tool, params) => {
      const plan = selectToolsets(question, tools, descriptions);
      expect(plan.matches[0]?.toolset).toBe(toolset);
      expect(plan.firstLook[0]).toEqual({ tool, params });
    },
  );

  it('finds nothing to look at first when the question names nothing the toolsets describe', () => {
    expect(selectToolsets('hello there', tools, descriptions)).toEqual({ matches: [], firstLook: [] });
  });
});

describe('namespaceIn', () => {
  it.each([
    ['restarts in namespace search?', 'search'],
    ['what broke in the search namespace', 'search'],
    ['kubectl get pods -n ml-batch', 'ml-batch'],
    ['look at ns/llm', 'llm'],
    ['anything wrong in this namespace?', undefined],
  ])('reads the namespace from %j', (question, namespace) => {
    expect(namespaceIn(question)).toBe(namespace);
  });
});
