import type { KubeClient, KubeKindOptions } from '../../telemetry/kube-types.js';
import type { ToolOutput } from '../tool-context.js';

export interface KubeVerbContext {
  kube: KubeClient;
  now: Date;
}

/** A Kubernetes read exposed to tools by name (`verb:` in a toolset file). */
export type KubeVerb = (params: Record<string, any>, context: KubeVerbContext) => Promise<ToolOutput>; // eslint-disable-line @typescript-eslint/no-explicit-any

export function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** `api_version` as the client takes it, when a tool was given one. */
export function kindOptions(params: Record<string, unknown>): KubeKindOptions {
  const apiVersion = str(params.api_version);
  return apiVersion ? { apiVersion } : {};
}
