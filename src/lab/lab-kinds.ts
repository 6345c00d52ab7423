import { KUBE_KINDS } from './kube-api/kinds.js';

/**
 * The kinds a scenario's kubernetes.yaml may hold (shared/SCENARIOS.md), with the apiVersion the
 * lab serves them at — derived from the lab API server's own table, so the two cannot disagree.
 */
export const LAB_KINDS: Readonly<Record<string, { apiVersion: string; namespaced: boolean }>> = Object.fromEntries(
  KUBE_KINDS.map((entry) => [
    entry.kind,
    { apiVersion: entry.group ? `${entry.group}/${entry.version}` : entry.version, namespaced: entry.namespaced },
  ]),
);
