import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src/core/kube-object.js';
import { CREATED_AT_COLUMNS, customResourceColumns } from '../../../src/lab/kube-api/table-columns-custom.js';

const now = new Date('2025-06-01T12:00:00Z');

const job: KubeObject = {
  apiVersion: 'kubeflow.org/v1',
  kind: 'PyTorchJob',
  metadata: { name: 'llama-ft', creationTimestamp: '2025-06-01T06:00:00Z' },
  spec: { runPolicy: { suspend: false }, replicas: 2.7, ratio: 0.5 },
  status: {
    conditions: [
      { type: 'Created', status: 'True' },
      { type: 'Running', status: 'True' },
    ],
    startTime: 'not a time',
  },
};

function row(columns: ReturnType<typeof customResourceColumns>, object: KubeObject) {
  return Object.fromEntries(columns.map((column) => [column.name, column.cell(object, now)]));
}

describe('customResourceColumns', () => {
  it('evaluates each printer column as JSONPath and types its first result', () => {
    const columns = customResourceColumns([
      { name: 'State', type: 'string', jsonPath: '.status.conditions[-1:].type' },
      { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Running")].status' },
      { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' },
      { name: 'Ratio', type: 'number', jsonPath: '.spec.ratio' },
      { name: 'Suspended', type: 'boolean', jsonPath: '.spec.runPolicy.suspend' },
      { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
      { name: 'Started', type: 'date', jsonPath: '.status.startTime' },
      { name: 'Missing', type: 'string', jsonPath: '.status.nothing' },
      { name: 'Mistyped', type: 'integer', jsonPath: '.metadata.name' },
      { name: 'Conditions', type: 'string', jsonPath: '.status.conditions[0]' },
    ]);
    expect(row(columns, job)).toEqual({
      Name: 'llama-ft',
      State: 'Running',
      Ready: 'True',
      Replicas: 2,
      Ratio: 0.5,
      Suspended: false,
      Age: '6h',
      Started: '<invalid>',
      Missing: null,
      Mistyped: null,
      Conditions: '{"type":"Created","status":"True"}',
    });
  });

  it('describes each column by its JSONPath when the CRD gives no description', () => {
    const [, column] = customResourceColumns([
      { name: 'State', type: 'string', jsonPath: '.status.phase', priority: 1 },
    ]);
    expect(column).toMatchObject({
      description: 'Custom resource definition column (in JSONPath format): .status.phase',
      priority: 1,
    });
  });

  it('shows Name and an Age date column when the CRD declares no printer columns', () => {
    const columns = customResourceColumns([]);
    expect(columns.map((column) => [column.name, column.type])).toEqual([
      ['Name', 'string'],
      ['Age', 'date'],
    ]);
    expect(row(columns, job)).toEqual({ Name: 'llama-ft', Age: '6h' });
  });
});

describe('CREATED_AT_COLUMNS', () => {
  it('prints the creation time in RFC 3339, as the default table convertor does', () => {
    expect(row(CREATED_AT_COLUMNS as ReturnType<typeof customResourceColumns>, job)).toEqual({
      Name: 'llama-ft',
      'Created At': '2025-06-01T06:00:00Z',
    });
  });
});
