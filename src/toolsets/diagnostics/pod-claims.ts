import type { KubeObject } from '../../core/kube-object.js';
import type { Json } from './kube-reads.js';

/** The PersistentVolumeClaims a pod mounts, generic ephemeral volumes included (`<pod>-<volume>`). */
export function podClaims(pod: KubeObject): Array<{ claim: string; volume: string }> {
  return (((pod.spec as Json | undefined)?.volumes ?? []) as Json[]).flatMap((volume) => {
    if (volume.persistentVolumeClaim?.claimName)
      return [{ claim: String(volume.persistentVolumeClaim.claimName), volume: String(volume.name) }];
    if (volume.ephemeral) return [{ claim: `${pod.metadata.name}-${volume.name}`, volume: String(volume.name) }];
    return [];
  });
}

/** A mount failure caused by a missing ConfigMap or Secret is a configuration reference, not storage. */
export const CONFIG_REFERENCE_MOUNT = /(configmap|secret) "[^"]+" not found|couldn't find key/i;
