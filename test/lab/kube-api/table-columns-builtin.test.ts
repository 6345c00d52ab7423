import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src/core/kube-object.js';
import { ACCESS_TABLE_COLUMNS } from '../../../src/lab/kube-api/table-columns-access.js';
import { NETWORK_TABLE_COLUMNS } from '../../../src/lab/kube-api/table-columns-network.js';
import { STORAGE_TABLE_COLUMNS } from '../../../src/lab/kube-api/table-columns-storage.js';
import type { TableColumn } from '../../../src/lab/kube-api/table.js';

const now = new Date('2025-06-01T12:00:00Z');

/** Every cell, wide ones included, keyed by column name. */
function cells(
  columns: Record<string, readonly TableColumn[]>,
  kind: string,
  object: Omit<KubeObject, 'apiVersion' | 'kind' | 'metadata'> & { metadata?: Partial<KubeObject['metadata']> },
) {
  const full = {
    apiVersion: 'v1',
    kind,
    ...object,
    metadata: { name: 'x', creationTimestamp: '2025-06-01T11:00:00Z', ...object.metadata },
  } as KubeObject;
  return Object.fromEntries((columns[kind] ?? []).map((column) => [column.name, column.cell(full, now)]));
}

describe('STORAGE_TABLE_COLUMNS', () => {
  it('marks the default storage class and fills the policies the API server defaults', () => {
    expect(
      cells(STORAGE_TABLE_COLUMNS, 'StorageClass', {
        metadata: { name: 'fast', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
        provisioner: 'ebs.csi.aws.com',
      }),
    ).toEqual({
      Name: 'fast (default)',
      Provisioner: 'ebs.csi.aws.com',
      ReclaimPolicy: 'Delete',
      VolumeBindingMode: 'Immediate',
      AllowVolumeExpansion: false,
      Age: '60m',
    });
    expect(
      cells(STORAGE_TABLE_COLUMNS, 'StorageClass', {
        provisioner: 'p',
        reclaimPolicy: 'Retain',
        volumeBindingMode: 'WaitForFirstConsumer',
        allowVolumeExpansion: true,
      }),
    ).toMatchObject({
      Name: 'x',
      ReclaimPolicy: 'Retain',
      VolumeBindingMode: 'WaitForFirstConsumer',
      AllowVolumeExpansion: true,
    });
  });

  it('shows capacity and access modes of a claim only once it is bound to a volume', () => {
    const bound = cells(STORAGE_TABLE_COLUMNS, 'PersistentVolumeClaim', {
      spec: { volumeName: 'pv-1', storageClassName: 'fast' },
      status: { phase: 'Bound', capacity: { storage: '100Gi' }, accessModes: ['ReadWriteOnce'] },
    });
    expect(bound).toEqual({
      Name: 'x',
      Status: 'Bound',
      Volume: 'pv-1',
      Capacity: '100Gi',
      'Access Modes': 'RWO',
      StorageClass: 'fast',
      VolumeAttributesClass: '<unset>',
      Age: '60m',
      VolumeMode: '<unset>',
    });
    const pending = cells(STORAGE_TABLE_COLUMNS, 'PersistentVolumeClaim', {
      metadata: { annotations: { 'volume.beta.kubernetes.io/storage-class': 'legacy' } },
      spec: { storageClassName: 'ignored', volumeMode: 'Block' },
      status: { phase: 'Pending', capacity: { storage: '1Gi' } },
    });
    expect(pending).toMatchObject({ Status: 'Pending', Capacity: '', StorageClass: 'legacy', VolumeMode: 'Block' });
  });

  it('prints a volume with its claim as namespace/name', () => {
    expect(
      cells(STORAGE_TABLE_COLUMNS, 'PersistentVolume', {
        spec: {
          capacity: { storage: '500Gi' },
          accessModes: ['ReadWriteMany', 'ReadOnlyMany'],
          persistentVolumeReclaimPolicy: 'Retain',
          claimRef: { namespace: 'train', name: 'ckpt' },
          storageClassName: 'nfs',
        },
        status: { phase: 'Bound' },
      }),
    ).toEqual({
      Name: 'x',
      Capacity: '500Gi',
      'Access Modes': 'RWX,ROX',
      'Reclaim Policy': 'Retain',
      Status: 'Bound',
      Claim: 'train/ckpt',
      StorageClass: 'nfs',
      VolumeAttributesClass: '<unset>',
      Reason: '',
      Age: '60m',
      VolumeMode: '<unset>',
    });
  });
});

describe('NETWORK_TABLE_COLUMNS', () => {
  it('lists at most three endpoints and counts the rest', () => {
    const addresses = ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4'].map((ip) => ({ ip }));
    expect(cells(NETWORK_TABLE_COLUMNS, 'Endpoints', { subsets: [{ addresses, ports: [{ port: 8000 }] }] })).toEqual({
      Name: 'x',
      Endpoints: '10.0.0.1:8000,10.0.0.2:8000,10.0.0.3:8000 + 1 more...',
      Age: '60m',
    });
    expect(cells(NETWORK_TABLE_COLUMNS, 'Endpoints', {}).Endpoints).toBe('<none>');
    expect(cells(NETWORK_TABLE_COLUMNS, 'Endpoints', { subsets: [{ addresses: [{ ip: 'fd00::1' }] }] }).Endpoints).toBe(
      'fd00::1',
    );
  });

  it('prints an endpoint slice with its ports and addresses, <unset> when it has none', () => {
    expect(
      cells(NETWORK_TABLE_COLUMNS, 'EndpointSlice', {
        addressType: 'IPv4',
        ports: [{ port: 8000 }, { name: 'metrics' }],
        endpoints: [{ addresses: ['10.0.0.1'] }, { addresses: ['10.0.0.2'] }],
      }),
    ).toEqual({ Name: 'x', AddressType: 'IPv4', Ports: '8000,metrics', Endpoints: '10.0.0.1,10.0.0.2', Age: '60m' });
    expect(cells(NETWORK_TABLE_COLUMNS, 'EndpointSlice', { addressType: 'IPv4' })).toMatchObject({
      Ports: '<unset>',
      Endpoints: '<unset>',
    });
  });

  it('prints the pod selector of a network policy, <none> when it selects every pod', () => {
    expect(
      cells(NETWORK_TABLE_COLUMNS, 'NetworkPolicy', { spec: { podSelector: { matchLabels: { app: 'chat-api' } } } }),
    ).toEqual({ Name: 'x', 'Pod-Selector': 'app=chat-api', Age: '60m' });
    expect(cells(NETWORK_TABLE_COLUMNS, 'NetworkPolicy', { spec: { podSelector: {} } })['Pod-Selector']).toBe('<none>');
  });
});

describe('ACCESS_TABLE_COLUMNS', () => {
  it('prints bindings with their role and, wide, their subjects by kind', () => {
    expect(
      cells(ACCESS_TABLE_COLUMNS, 'RoleBinding', {
        roleRef: { kind: 'ClusterRole', name: 'view' },
        subjects: [
          { kind: 'ServiceAccount', name: 'trainer', namespace: 'ml' },
          { kind: 'User', name: 'alice' },
          { kind: 'Group', name: 'sre' },
          { kind: 'User', name: 'bob' },
        ],
      }),
    ).toEqual({
      Name: 'x',
      Role: 'ClusterRole/view',
      Age: '60m',
      Users: 'alice, bob',
      Groups: 'sre',
      ServiceAccounts: 'ml/trainer',
    });
  });

  it('prints roles and definitions with their creation time, as the default table convertor does', () => {
    expect(cells(ACCESS_TABLE_COLUMNS, 'ClusterRole', {})).toEqual({ Name: 'x', 'Created At': '2025-06-01T11:00:00Z' });
    expect(cells(ACCESS_TABLE_COLUMNS, 'ServiceAccount', { secrets: [{ name: 'token' }] })).toEqual({
      Name: 'x',
      Secrets: 1,
      Age: '60m',
    });
  });
});
