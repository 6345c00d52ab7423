import type { Alert } from '../../../src/core/alert.js';
import type { KubeObject } from '../../../src/core/kube-object.js';
import type { ToolResult } from '../../../src/core/tool-result.js';
import type { EntityState } from '../../../src/investigator/entities/entity-state.js';
import { entitiesFromLabels } from '../../../src/investigator/resolve-entities.js';
import type { Toolbox } from '../../../src/toolsets/create-toolbox.js';

type Answer = (params: Record<string, unknown>) => unknown;

/** A toolbox answering each tool from a function of its params (undefined: no data); it records every call. */
export function stepToolbox(answers: Record<string, Answer>) {
  const calls: Array<{ tool: string; params: Record<string, unknown> }> = [];
  const toolbox: Toolbox = {
    statuses: [],
    failures: [],
    tools: () => [],
    run: async (tool, params = {}) => {
      calls.push({ tool, params });
      const data = answers[tool]?.(params);
      return {
        toolset: 'test',
        tool,
        params,
        status: data === undefined ? 'no_data' : 'success',
        text: data === undefined ? 'not found' : '',
        data: data ?? null,
        requests: [],
        durationMs: 0,
        rawBytes: 0,
      } satisfies ToolResult;
    },
  };
  return { toolbox, calls };
}

export function pod(name: string, namespace: string, options: { node?: string; owner?: string } = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace,
      ...(options.owner ? { ownerReferences: [{ kind: 'ReplicaSet', name: options.owner }] } : {}),
    },
    spec: options.node ? { nodeName: options.node } : {},
  } as KubeObject;
}

export function stateFor(labels: Record<string, string>, toolbox: Toolbox): EntityState {
  const alert = { labels, annotations: {}, startsAt: '2026-12-02T10:00:00Z' } as unknown as Alert;
  const initial = entitiesFromLabels(alert);
  return { alert, toolbox, ...initial, workload: initial.labels.workload, pods: [] };
}
