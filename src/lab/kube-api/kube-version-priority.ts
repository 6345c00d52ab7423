const KUBE_VERSION = /^v([1-9][0-9]*)(?:(alpha|beta)([1-9][0-9]*))?$/;
const STABILITY: Record<string, number> = { '': 2, beta: 1, alpha: 0 };

/**
 * Orders API versions as the API server lists a group's versions (apimachinery's
 * CompareKubeAwareVersionStrings): GA before beta before alpha, higher numbers first, and
 * versions not of the Kubernetes form last, alphabetically. The first one is the preferred version.
 */
export function compareKubeVersions(left: string, right: string): number {
  const a = KUBE_VERSION.exec(left);
  const b = KUBE_VERSION.exec(right);
  if (!a || !b) {
    if (a) return -1;
    if (b) return 1;
    return left < right ? -1 : left > right ? 1 : 0;
  }
  const stability = (STABILITY[b[2] ?? ''] ?? 0) - (STABILITY[a[2] ?? ''] ?? 0);
  if (stability !== 0) return stability;
  const major = Number(b[1]) - Number(a[1]);
  if (major !== 0) return major;
  return Number(b[3] ?? 0) - Number(a[3] ?? 0);
}
