import type { KubeKind } from './kinds.js';
import { ACCESS_TABLE_COLUMNS } from './table-columns-access.js';
import { CORE_TABLE_COLUMNS } from './table-columns-core.js';
import { NETWORK_TABLE_COLUMNS } from './table-columns-network.js';
import { STORAGE_TABLE_COLUMNS } from './table-columns-storage.js';
import { WORKLOAD_TABLE_COLUMNS } from './table-columns-workloads.js';
import { ageColumn, nameColumn, type TableColumn } from './table.js';

/** The printers of the built-in kinds, by kind. */
export const BUILT_IN_TABLE_COLUMNS: Readonly<Record<string, readonly TableColumn[]>> = {
  ...CORE_TABLE_COLUMNS,
  ...WORKLOAD_TABLE_COLUMNS,
  ...STORAGE_TABLE_COLUMNS,
  ...NETWORK_TABLE_COLUMNS,
  ...ACCESS_TABLE_COLUMNS,
};

/**
 * The columns `kubectl get` shows for a kind: a custom resource's own (its CRD's printer columns),
 * else the built-in printer of that kind, else Name and Age.
 */
export function columnsOf(kubeKind: KubeKind): readonly TableColumn[] {
  return kubeKind.columns ?? BUILT_IN_TABLE_COLUMNS[kubeKind.kind] ?? [nameColumn, ageColumn];
}
