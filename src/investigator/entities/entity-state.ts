import type { Alert } from '../../core/alert.js';
import type { Entities } from '../../core/investigation.js';
import type { KubeObject } from '../../core/kube-object.js';
import type { ToolResult } from '../../core/tool-result.js';
import type { Toolbox } from '../../toolsets/create-toolbox.js';

/** What the steps of entity resolution share: the alert's own words and what was found so far. */
export interface EntityState {
  alert: Alert;
  toolbox: Toolbox;
  entities: Entities;
  /** Labels the alert carries, read once (undefined when absent). */
  labels: {
    pod?: string;
    node?: string;
    hpa?: string;
    gpu?: string;
    /** A workload the alert names by its kind's label (deployment, statefulset, daemonset, job). */
    workload?: { kind: string; name: string };
  };
  /** The workload as found so far: named by the alert, an HPA's target, or a service's namesake. */
  workload?: { kind: string; name: string };
  /** Pod objects found so far. */
  pods: KubeObject[];
}

export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export function ok(result: ToolResult): boolean {
  return result.status === 'success';
}

/** `a=b,c=d` from matchLabels, or undefined when there are none. */
export function selectorString(matchLabels: Record<string, string> | undefined): string | undefined {
  const entries = Object.entries(matchLabels ?? {});
  return entries.length > 0 ? entries.map(([key, value]) => `${key}=${value}`).join(',') : undefined;
}

/** Pods matching a label selector; says how they were found. */
export async function podsBySelector(
  state: EntityState,
  namespace: string | undefined,
  selector: string | undefined,
  why: string,
): Promise<KubeObject[]> {
  if (!selector) return [];
  const result = await state.toolbox.run('kubernetes_list', {
    kind: 'Pod',
    ...(namespace ? { namespace } : {}),
    label_selector: selector,
    top_k: 200,
  });
  if (!ok(result)) return [];
  state.entities.notes.push(`pods of ${why} by selector ${selector}`);
  return result.data as KubeObject[];
}
