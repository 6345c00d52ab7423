import type { KubeObject } from '../../core/kube-object.js';
import { readPath, readText } from './read-path.js';
import { ageColumn, column, nameColumn, type TableColumn } from './table.js';

/** Columns of StorageClass, PersistentVolume and PersistentVolumeClaim, after the API server's printers. */

const ACCESS_MODES: Record<string, string> = {
  ReadWriteOnce: 'RWO',
  ReadOnlyMany: 'ROX',
  ReadWriteMany: 'RWX',
  ReadWriteOncePod: 'RWOP',
};

function accessModes(object: KubeObject, path: string): string {
  return ((readPath(object, path) as string[] | undefined) ?? []).map((mode) => ACCESS_MODES[mode] ?? mode).join(',');
}

/** `GetPersistentVolume(Claim)Class`: the beta annotation wins over spec.storageClassName. */
function storageClassOf(object: KubeObject): string {
  return (
    object.metadata.annotations?.['volume.beta.kubernetes.io/storage-class'] ??
    readText(object, 'spec.storageClassName')
  );
}

const terminatingOr = (path: string) => (object: KubeObject) =>
  readText(object, 'metadata.deletionTimestamp') !== '' ? 'Terminating' : readText(object, path);
const unset = (path: string) => (object: KubeObject) => readText(object, path) || '<unset>';

/** `IsDefaultAnnotation`: the GA or the beta annotation set to "true". */
function isDefaultClass(storageClass: KubeObject): boolean {
  const annotations = storageClass.metadata.annotations ?? {};
  return (
    annotations['storageclass.kubernetes.io/is-default-class'] === 'true' ||
    annotations['storageclass.beta.kubernetes.io/is-default-class'] === 'true'
  );
}

const claimColumns: TableColumn[] = [
  nameColumn,
  column('Status', terminatingOr('status.phase')),
  column('Volume', (claim) => readText(claim, 'spec.volumeName')),
  // Capacity and access modes are shown once the claim is bound to a volume.
  column('Capacity', (claim) =>
    readText(claim, 'spec.volumeName') === '' ? '' : readText(claim, 'status.capacity.storage'),
  ),
  column('Access Modes', (claim) =>
    readText(claim, 'spec.volumeName') === '' ? '' : accessModes(claim, 'status.accessModes'),
  ),
  column('StorageClass', storageClassOf),
  column('VolumeAttributesClass', unset('spec.volumeAttributesClassName')),
  ageColumn,
  column('VolumeMode', unset('spec.volumeMode'), 1),
];

const volumeColumns: TableColumn[] = [
  nameColumn,
  column('Capacity', (volume) => readText(volume, 'spec.capacity.storage')),
  column('Access Modes', (volume) => accessModes(volume, 'spec.accessModes')),
  column('Reclaim Policy', (volume) => readText(volume, 'spec.persistentVolumeReclaimPolicy')),
  column('Status', terminatingOr('status.phase')),
  column('Claim', (volume) =>
    readPath(volume, 'spec.claimRef') === undefined
      ? ''
      : `${readText(volume, 'spec.claimRef.namespace')}/${readText(volume, 'spec.claimRef.name')}`,
  ),
  column('StorageClass', storageClassOf),
  column('VolumeAttributesClass', unset('spec.volumeAttributesClassName')),
  column('Reason', (volume) => readText(volume, 'status.reason')),
  ageColumn,
  column('VolumeMode', unset('spec.volumeMode'), 1),
];

const storageClassColumns: TableColumn[] = [
  {
    ...nameColumn,
    cell: (storageClass) => `${storageClass.metadata.name}${isDefaultClass(storageClass) ? ' (default)' : ''}`,
  },
  column('Provisioner', (storageClass) => readText(storageClass, 'provisioner')),
  column('ReclaimPolicy', (storageClass) => readText(storageClass, 'reclaimPolicy') || 'Delete'),
  column('VolumeBindingMode', (storageClass) => readText(storageClass, 'volumeBindingMode') || 'Immediate'),
  column('AllowVolumeExpansion', (storageClass) => readPath(storageClass, 'allowVolumeExpansion') === true),
  ageColumn,
];

export const STORAGE_TABLE_COLUMNS: Record<string, TableColumn[]> = {
  StorageClass: storageClassColumns,
  PersistentVolume: volumeColumns,
  PersistentVolumeClaim: claimColumns,
};
