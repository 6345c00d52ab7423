import type { KubeObject } from '../../core/kube-object.js';
import { readList, readText } from './read-path.js';
import { CREATED_AT_COLUMNS } from './table-columns-custom.js';
import { ageColumn, column, nameColumn, type TableColumn } from './table.js';

/** Columns of ServiceAccount and the RBAC kinds, after the API server's printers. */

/** `rbac.SubjectsStrings`: users, groups and service accounts (namespace/name) of a binding. */
function subjects(binding: KubeObject, kind: string): string {
  return readList(binding, 'subjects')
    .filter((subject) => readText(subject, 'kind') === kind)
    .map((subject) =>
      kind === 'ServiceAccount'
        ? `${readText(subject, 'namespace')}/${readText(subject, 'name')}`
        : readText(subject, 'name'),
    )
    .join(', ');
}

const bindingColumns: TableColumn[] = [
  nameColumn,
  column('Role', (binding) => `${readText(binding, 'roleRef.kind')}/${readText(binding, 'roleRef.name')}`),
  ageColumn,
  column('Users', (binding) => subjects(binding, 'User'), 1),
  column('Groups', (binding) => subjects(binding, 'Group'), 1),
  column('ServiceAccounts', (binding) => subjects(binding, 'ServiceAccount'), 1),
];

export const ACCESS_TABLE_COLUMNS: Record<string, readonly TableColumn[]> = {
  ServiceAccount: [
    nameColumn,
    column('Secrets', (account) => readList(account, 'secrets').length, 0, 'string'),
    ageColumn,
  ],
  // Roles have no printer: the default table convertor shows Name and Created At.
  Role: CREATED_AT_COLUMNS,
  ClusterRole: CREATED_AT_COLUMNS,
  RoleBinding: bindingColumns,
  ClusterRoleBinding: bindingColumns,
  CustomResourceDefinition: CREATED_AT_COLUMNS,
};
