import { JSONPath } from 'jsonpath-plus';
import type { KubeObject } from '../../core/kube-object.js';
import { rfc3339 } from '../rfc3339.js';
import { ageOf } from './human-duration.js';
import { nameColumn, type TableColumn } from './table.js';

/**
 * Table columns of custom resources and of kinds the API server prints with its default table
 * convertor, after apiextensions-apiserver's tableconvertor: Name, then the CRD's
 * additionalPrinterColumns evaluated as JSONPath (first result only), or Age when it has none.
 */

/** One `additionalPrinterColumns` entry of a CRD version. */
export interface PrinterColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  jsonPath: string;
  format?: string;
  priority?: number;
  description?: string;
}

export const PRINTER_COLUMN_TYPES: ReadonlySet<string> = new Set(['string', 'integer', 'number', 'boolean', 'date']);

const CREATION_TIMESTAMP_DESCRIPTION =
  'CreationTimestamp is a timestamp representing the server time when this object was created.';

/** What a CRD without printer columns is served with (`serveDefaultColumnsIfEmpty`). */
const DEFAULT_COLUMNS: readonly PrinterColumn[] = [
  { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp', description: CREATION_TIMESTAMP_DESCRIPTION },
];

/** The first value a printer column's JSONPath finds, or undefined (`AllowMissingKeys`). */
function firstValue(object: KubeObject, jsonPath: string): unknown {
  const found = JSONPath({ path: `$${jsonPath}`, json: object, wrap: true, eval: 'safe' }) as unknown[];
  return found[0];
}

/** `cellForJSONValue`: a typed cell, or null (kubectl prints `<none>`) when the value does not fit the type. */
function cellFor(type: PrinterColumn['type'], value: unknown, now: Date): string | number | boolean | null {
  if (value === undefined || value === null) return null;
  switch (type) {
    case 'string':
      // JSONPath prints non-strings as their text, as kubectl's printer does.
      return typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
    case 'integer':
      return typeof value === 'number' ? Math.trunc(value) : null;
    case 'number':
      return typeof value === 'number' ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'date':
      if (typeof value !== 'string') return null;
      return Number.isNaN(Date.parse(value)) ? '<invalid>' : ageOf(value, now);
  }
}

/** Name plus the printer columns of one CRD version (Age when it declares none). */
export function customResourceColumns(printerColumns: readonly PrinterColumn[]): TableColumn[] {
  const columns = printerColumns.length > 0 ? printerColumns : DEFAULT_COLUMNS;
  return [
    nameColumn,
    ...columns.map((printer): TableColumn => ({
      name: printer.name,
      type: printer.type,
      ...(printer.format ? { format: printer.format } : {}),
      priority: printer.priority ?? 0,
      description: printer.description || `Custom resource definition column (in JSONPath format): ${printer.jsonPath}`,
      cell: (object, now) => cellFor(printer.type, firstValue(object, printer.jsonPath), now),
    })),
  ];
}

/** `rest.NewDefaultTableConvertor`: Name and Created At, as Roles, ClusterRoles and CRDs are printed. */
export const CREATED_AT_COLUMNS: readonly TableColumn[] = [
  nameColumn,
  {
    name: 'Created At',
    type: 'date',
    description: CREATION_TIMESTAMP_DESCRIPTION,
    cell: (object) => {
      const created = Date.parse(object.metadata.creationTimestamp ?? '');
      return Number.isNaN(created) ? '0001-01-01T00:00:00Z' : rfc3339(new Date(created));
    },
  },
];
