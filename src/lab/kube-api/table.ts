import type { KubeObject } from '../../core/kube-object.js';
import { ageOf } from './human-duration.js';

/**
 * `meta.k8s.io/v1 Table`, what kubectl asks for (`Accept: ...;as=Table;g=meta.k8s.io;v=v1`) to
 * print `kubectl get`. Columns mirror the API server's printers, wide columns at priority 1.
 */
export interface TableColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format?: string;
  priority?: number;
  description: string;
  /** null prints as `<none>`, as for a printer column whose path finds nothing. */
  cell(object: KubeObject, now: Date): string | number | boolean | null;
}

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export interface TableOptions {
  now: Date;
  includeObject: IncludeObject;
  resourceVersion: string;
  continueToken?: string;
}

export const nameColumn: TableColumn = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description: 'Name must be unique within a namespace.',
  cell: (object) => object.metadata.name,
};

export const ageColumn: TableColumn = {
  name: 'Age',
  type: 'string',
  description: 'CreationTimestamp is a timestamp representing the server time when this object was created.',
  cell: (object, now) => ageOf(object.metadata.creationTimestamp, now),
};

/** A column of plain text with an optional priority (1 = shown by `-o wide` only). */
export function column(
  name: string,
  cell: TableColumn['cell'],
  priority = 0,
  type: TableColumn['type'] = 'string',
): TableColumn {
  return { name, type, priority, description: `${name} of the object.`, cell };
}

function rowObject(object: KubeObject, includeObject: IncludeObject): Record<string, unknown> | undefined {
  if (includeObject === 'None') return undefined;
  if (includeObject === 'Object') return object;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: object.metadata };
}

export function toTable(
  columns: readonly TableColumn[],
  objects: readonly KubeObject[],
  options: TableOptions,
): Record<string, unknown> {
  const metadata: Record<string, unknown> = { resourceVersion: options.resourceVersion };
  if (options.continueToken) metadata.continue = options.continueToken;
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata,
    columnDefinitions: columns.map(({ name, type, format, priority, description }) => ({
      name,
      type,
      format: format ?? '',
      description,
      priority: priority ?? 0,
    })),
    rows: objects.map((object) => {
      const row: Record<string, unknown> = { cells: columns.map((entry) => entry.cell(object, options.now)) };
      const included = rowObject(object, options.includeObject);
      if (included) row.object = included;
      return row;
    }),
  };
}
