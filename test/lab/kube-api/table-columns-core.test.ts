import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src/core/kube-object.js';
import { CORE_TABLE_COLUMNS } from '../../../src/lab/kube-api/table-columns-core.js';
import { BUILT_IN_TABLE_COLUMNS } from '../../../src/lab/kube-api/columns-of.js';
import { KUBE_KINDS } from '../../../src/lab/kube-api/kinds.js';

const now = new Date('2025-06-01T12:00:00Z');
const created = '2025-06-01T11:00:00Z';

/** The cells `kubectl get` shows by default (priority 0), keyed by column name. */
function shown(
  kind: string,
  object: Omit<KubeObject, 'apiVersion' | 'kind' | 'metadata'> & { metadata?: Partial<KubeObject['metadata']> },
) {
  const columns = CORE_TABLE_COLUMNS[kind] ?? [];
  const full = {
    apiVersion: 'v1',
    kind,
    ...object,
    metadata: { name: 'x', creationTimestamp: created, ...object.metadata },
  } as KubeObject;
  return Object.fromEntries(
    columns.filter((column) => (column.priority ?? 0) === 0).map((column) => [column.name, column.cell(full, now)]),
  );
}

describe('CORE_TABLE_COLUMNS', () => {
  it('defines a name and an age (or last seen, or created at) column for every served kind', () => {
    for (const { kind } of KUBE_KINDS) {
      const names = (BUILT_IN_TABLE_COLUMNS[kind] ?? []).map((column) => column.name);
      expect(names, kind).toContain('Name');
      expect(
        names.some((name) => name === 'Age' || name === 'Last Seen' || name === 'Created At'),
        kind,
      ).toBe(true);
    }
  });

  it('summarizes pods like kubectl when containers are initializing, terminated or terminating', () => {
    expect(
      shown('Pod', {
        spec: { initContainers: [{ name: 'init' }], containers: [{ name: 'main' }] },
        status: {
          phase: 'Pending',
          initContainerStatuses: [{ name: 'init', restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } }],
        },
      }),
    ).toMatchObject({ Ready: '0/1', Status: 'Init:0/1', Restarts: '0' });
    expect(
      shown('Pod', {
        spec: { containers: [{ name: 'main' }] },
        status: {
          phase: 'Failed',
          containerStatuses: [{ name: 'main', restartCount: 0, state: { terminated: { exitCode: 3 } } }],
        },
      }),
    ).toMatchObject({ Status: 'ExitCode:3' });
    expect(
      shown('Pod', {
        metadata: { deletionTimestamp: created },
        spec: { containers: [{ name: 'main' }] },
        status: {
          phase: 'Running',
          containerStatuses: [{ name: 'main', ready: true, restartCount: 0, state: { running: {} } }],
        },
      }),
    ).toMatchObject({ Ready: '1/1', Status: 'Terminating', Age: '60m' });
  });

  it('prints node status and roles when the node is cordoned and not ready', () => {
    expect(
      shown('Node', {
        metadata: { labels: { 'node-role.kubernetes.io/control-plane': '', 'node-role.kubernetes.io/gpu': '' } },
        spec: { unschedulable: true },
        status: { conditions: [{ type: 'Ready', status: 'False' }], nodeInfo: { kubeletVersion: 'v1.31.0' } },
      }),
    ).toEqual({
      Name: 'x',
      Status: 'NotReady,SchedulingDisabled',
      Roles: 'control-plane,gpu',
      Age: '60m',
      Version: 'v1.31.0',
    });
  });

  it('prints services, config maps and quotas with their usual columns', () => {
    expect(
      shown('Service', {
        spec: {
          type: 'NodePort',
          clusterIP: '10.96.0.10',
          ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }, { port: 9090 }],
        },
      }),
    ).toEqual({
      Name: 'x',
      Type: 'NodePort',
      'Cluster-IP': '10.96.0.10',
      'External-IP': '<none>',
      'Port(s)': '80:30080/TCP,9090/TCP',
      Age: '60m',
    });
    expect(
      shown('Service', { spec: { type: 'LoadBalancer', clusterIP: '10.96.0.11', ports: [] } })['External-IP'],
    ).toBe('<pending>');
    expect(shown('ConfigMap', { data: { a: '1', b: '2' } })).toEqual({ Name: 'x', Data: 2, Age: '60m' });
    expect(
      shown('ResourceQuota', {
        status: {
          hard: { 'requests.nvidia.com/gpu': '4', 'limits.memory': '64Gi' },
          used: { 'requests.nvidia.com/gpu': '4', 'limits.memory': '60Gi' },
        },
      }),
    ).toEqual({ Name: 'x', Age: '60m', Request: 'requests.nvidia.com/gpu: 4/4', Limit: 'limits.memory: 60Gi/64Gi' });
  });
});
